/** One edge as it registers itself in Redis: who it is, where clients reach it, how loaded it is. */
export interface EdgeEntry {
  readonly id: string;
  /** The URL clients are sent to (its `publicUrl`, else the address it listens on). */
  readonly url: string;
  readonly version: string;
  readonly sessions: number;
  readonly sandboxes: number;
  /** Share of the last heartbeat interval the event loop was busy, 0..1. */
  readonly busy: number;
  /** Draining edges take no new clients. */
  readonly draining: boolean;
  /** Epoch ms of the heartbeat that wrote this entry. */
  readonly beatAt: number;
}

/** An entry is a few hundred bytes; anything longer read back from Redis is not one of ours. */
export const MAX_ENTRY_BYTES = 4096;

/** An entry read back from Redis, checked field by field (it is as untrusted as client input); undefined when malformed. */
export function parseEdgeEntry(text: string): EdgeEntry | undefined {
  if (text.length > MAX_ENTRY_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof v.id !== 'string' || v.id.length > 64) return undefined;
  if (typeof v.url !== 'string' || v.url.length > 2048 || !/^https?:\/\//.test(v.url)) return undefined;
  if (typeof v.version !== 'string' || v.version.length > 64) return undefined;
  if (!count(v.sessions) || !count(v.sandboxes) || !count(v.beatAt)) return undefined;
  if (typeof v.busy !== 'number' || !(v.busy >= 0 && v.busy <= 1)) return undefined;
  if (typeof v.draining !== 'boolean') return undefined;
  return {
    id: v.id,
    url: v.url,
    version: v.version,
    sessions: v.sessions,
    sandboxes: v.sandboxes,
    busy: v.busy,
    draining: v.draining,
    beatAt: v.beatAt,
  };
}
