import type { IceServer } from '@remotemedia/shared';

/** Within what a client accepts in `welcome` (shared/protocol/validate.ts). */
const MAX_SERVERS = 32;
const MAX_URLS = 16;
const MAX_TEXT = 1024;
const ICE_URL = /^(stuns?|turns?):[^\s?]+(\?transport=(udp|tcp))?$/i;

/**
 * Reads the `iceServers` setting: a JSON array (a string from a flag or the environment, the array itself in
 * the config file) of RTCIceServer-shaped objects. Returns the list, or the reason it is refused. The reason
 * never repeats the input: it may hold a TURN credential.
 */
export function parseIceServers(raw: unknown): IceServer[] | { problem: string } {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { problem: 'it is not valid JSON' };
    }
  }
  if (!Array.isArray(value)) return { problem: 'it is not an array' };
  if (value.length > MAX_SERVERS) return { problem: `it lists ${value.length} servers (at most ${MAX_SERVERS})` };
  const servers: IceServer[] = [];
  for (const [i, entry] of value.entries()) {
    const result = parseServer(entry);
    if ('problem' in result) return { problem: `entry ${i}: ${result.problem}` };
    servers.push(result);
  }
  return servers;
}

function parseServer(entry: unknown): IceServer | { problem: string } {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { problem: 'not an object' };
  const { urls, username, credential, ...rest } = entry as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return { problem: `unknown key "${unknown[0]}" (known: urls, username, credential)` };
  const list = Array.isArray(urls) ? urls : [urls];
  if (list.length === 0 || list.length > MAX_URLS) return { problem: `urls must hold 1 to ${MAX_URLS} URLs` };
  for (const url of list) {
    if (typeof url !== 'string' || url.length > MAX_TEXT || !ICE_URL.test(url)) {
      return { problem: 'urls must be stun:, stuns:, turn: or turns: URLs such as "turn:turn.example.com:3478"' };
    }
  }
  for (const [name, text] of [
    ['username', username],
    ['credential', credential],
  ] as const) {
    if (text !== undefined && (typeof text !== 'string' || text.length > MAX_TEXT))
      return { problem: `${name} must be a string of at most ${MAX_TEXT} characters` };
  }
  const turn = (list as string[]).some((url) => /^turns?:/i.test(url));
  if (turn && (username === undefined || credential === undefined)) return { problem: 'a turn: or turns: server needs a username and a credential' };
  return {
    urls: Array.isArray(urls) ? (urls as string[]) : (urls as string),
    ...(username !== undefined ? { username: username as string } : {}),
    ...(credential !== undefined ? { credential: credential as string } : {}),
  };
}
