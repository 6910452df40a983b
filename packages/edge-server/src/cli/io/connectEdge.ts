import type { RemoteSession } from '@remotemedia/browser-sdk/node';
import { UsageError } from '../UsageError.ts';

/** What `run` needs from a session: built-in nodes by name, and closing. */
export type EdgeSession = Pick<RemoteSession, 'node' | 'close'>;

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

/** Opens a session with the edge the same way an app would (WebRTC data channel, WebSocket fallback). */
export async function connectEdge(url: string): Promise<EdgeSession> {
  // Loaded on first use, so `serve` never starts the WebRTC client.
  const { connect } = await import('@remotemedia/browser-sdk/node');
  return connect(url);
}
