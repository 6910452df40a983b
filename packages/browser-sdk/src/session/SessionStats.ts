import type { TransportKind } from '@remotemedia/shared';

/** A snapshot of what a session has done, for display and for tests. */
export interface SessionStats {
  /** The path protocol messages take now. */
  transport: TransportKind;
  /** Why the session is on the WebSocket if it wanted the data channel, else undefined. */
  fallbackReason: string | undefined;
  framesSent: number;
  framesReceived: number;
  /** Frames the edge dropped (queue full, node gone) and told us about. */
  framesDroppedByEdge: number;
  /** Frames that failed with an error from the node. */
  framesFailed: number;
  bytesSent: number;
  bytesReceived: number;
  /** Round trip of the last frame, ms. */
  rttLastMs: number;
  rttP50Ms: number;
  rttP99Ms: number;
  rttSamples: number;
}
