import type { RemoteSession } from '@remotemedia/browser-sdk/node';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { UsageError } from '../UsageError.ts';
import { probeSignaling, type SignalingProbe } from './probeSignaling.ts';

/** What `run` needs from a session: built-in nodes by name, and closing. */
export type EdgeSession = Pick<RemoteSession, 'node' | 'close'>;

const PROBE_TIMEOUT_MS = 3000;

/** `--edge` must name the edge's page or signaling URL. */
export function checkEdgeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--edge must be a URL like http://127.0.0.1:8080, got "${url}"`);
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
    throw new UsageError(`--edge must be an http(s) or ws(s) URL, got "${url}"`);
  }
  return url;
}

/**
 * Opens a session with the edge the same way an app would (WebRTC data channel, WebSocket fallback). When that
 * fails to connect, one probe of the signaling URL tells "nothing runs there" from "the edge said no", so the
 * error can say which fix applies.
 */
export async function connectEdge(url: string, authToken: string | undefined): Promise<EdgeSession> {
  // Loaded on first use, so `serve` never starts the WebRTC client.
  const { connect, signalingUrl } = await import('@remotemedia/browser-sdk/node');
  try {
    return await connect(url, { authToken });
  } catch (error) {
    if (!(error instanceof RemoteMediaError) || error.code !== ErrorCode.ConnectionFailed) throw error;
    const target = new URL(signalingUrl(url));
    if (authToken !== undefined) target.searchParams.set('token', authToken);
    const probe = await probeSignaling(target.toString(), PROBE_TIMEOUT_MS);
    throw new RemoteMediaError(ErrorCode.ConnectionFailed, explain(url, probe, error.message, authToken !== undefined), { cause: error });
  }
}

function explain(url: string, probe: SignalingProbe, failure: string, sentToken: boolean): string {
  const { hostname, port, protocol } = new URL(url);
  const portNumber = port === '' ? (protocol === 'https:' || protocol === 'wss:' ? 443 : 80) : Number(port);
  switch (probe.kind) {
    case 'unreachable':
      return `no edge answers at ${url} (${unreachableReason(probe, hostname)}): is it running? Start one with "remotemedia-edge serve --port ${portNumber}", or point --edge at a running edge`;
    case 'refused':
      // The edge's own reason for a 401 speaks of headers and query strings; here the fix is a flag.
      if (probe.status === 401 && !sentToken) {
        return `the edge at ${url} requires a token: pass it with --auth-token <token> or in REMOTEMEDIA_AUTH_TOKEN`;
      }
      if (probe.status === 401) return `the edge at ${url} does not accept the token given: check --auth-token or REMOTEMEDIA_AUTH_TOKEN`;
      return `the edge at ${url} refused the connection (HTTP ${probe.status}${probe.reason === '' ? '' : `: ${probe.reason}`})`;
    case 'accepted':
      // The edge takes connections now: the failure was on the way (a timeout, a dropped connection).
      return `${failure}; the edge at ${url} is up, so try again`;
  }
}

function unreachableReason(probe: Extract<SignalingProbe, { kind: 'unreachable' }>, hostname: string): string {
  switch (probe.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host name "${hostname}"`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return probe.message;
  }
}
