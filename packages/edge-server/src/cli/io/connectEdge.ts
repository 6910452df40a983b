import { ErrorCode, RemoteMediaError, type PipelineNode } from '@remotemedia/shared';
import { UsageError } from '../UsageError.ts';

/** The part of the SDK's RemoteSession that `run` needs: built-in nodes by name, and closing. */
export interface EdgeSession {
  node(name: string, config: Record<string, unknown>): Promise<PipelineNode>;
  close(): void;
}

interface NodeSdk {
  connect(url: string): Promise<EdgeSession>;
}

/**
 * The SDK's Node entry. Loaded at run time rather than imported: its types are written against the DOM lib
 * (it is the browser SDK), and the edge-server project compiles with Node types only, so a static import would
 * pull browser sources into this project's typecheck. `EdgeSession` above is the contract checked here instead;
 * it also keeps the WebRTC client out of `serve`'s startup.
 */
const SDK_NODE_ENTRY: string = '@remotemedia/browser-sdk/node';

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
  const sdk = (await import(SDK_NODE_ENTRY)) as Partial<NodeSdk>;
  if (typeof sdk.connect !== 'function') {
    throw new RemoteMediaError(ErrorCode.Internal, `${SDK_NODE_ENTRY} does not export connect(); is the SDK installed?`);
  }
  return sdk.connect(url);
}
