import type { ClientMessage, EdgeMessage, ProtocolChannel } from '@remotemedia/shared';
import type { PeerLinkFactory } from '../transport/PeerLink.ts';

export type ClientChannel = ProtocolChannel<EdgeMessage, ClientMessage>;

/** How a session (re)establishes its connection: `connect` builds it once, reconnects reuse it. */
export interface SessionLink {
  /** The edges the session may use, in the order given to `connect`; a reconnect tries each in turn. */
  edges: readonly string[];
  /** Opens a fresh signaling WebSocket to `edge`: one of `edges`, or where an edge of a cluster redirected to. */
  openSignaling(edge: string): Promise<ClientChannel>;
  /** Creates the WebRTC side, or undefined when the session stays on the WebSocket. */
  createPeer: PeerLinkFactory | undefined;
  /** Fail instead of falling back to the WebSocket when the data channel cannot open. */
  requireDataChannel: boolean;
  connectTimeoutMs: number;
  dataChannelTimeoutMs: number;
}

export interface ReconnectOptions {
  /** Attempts before giving up and closing the session (default 10). */
  maxAttempts?: number;
  /** First delay; doubled each attempt (default 250 ms). */
  initialDelayMs?: number;
  /** Delay cap (default 5000 ms). */
  maxDelayMs?: number;
}
