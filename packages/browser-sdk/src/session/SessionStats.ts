import type { TransportKind } from '@remotemedia/shared';
import type { FrameStage, StageTiming } from './FrameTimings.ts';
import type { VideoStats } from './VideoWire.ts';

/** Where a session's connection stands. */
export type SessionState = 'connected' | 'reconnecting' | 'closed';

/** A snapshot of what a session has done, for display and for tests. */
export interface SessionStats {
  state: SessionState;
  /** The path protocol messages take now. */
  transport: TransportKind;
  /** Why the session is on the WebSocket if it wanted the data channel, else undefined. */
  fallbackReason: string | undefined;
  /**
   * User data bytes per SCTP DATA chunk on the data channel: 1,200 (what browsers take), more between the Node
   * SDK and an edge (both werift); undefined on the WebSocket.
   */
  sctpChunkBytes: number | undefined;
  /** Successful reconnects since `connect`. */
  reconnects: number;
  /** The edge the session is on now: the URL given to `connect`, the next of its list, or where a cluster sent it. */
  edgeUrl: string;
  framesSent: number;
  framesReceived: number;
  /** Frames the edge dropped (queue full, node gone) and told us about; deadline skips are counted apart. */
  framesDroppedByEdge: number;
  /** Frames the edge skipped because they were older than their node's deadline (FRAME_EXPIRED). */
  framesSkippedByDeadline: number;
  /** Frames that failed with an error from the node or the edge. */
  framesFailed: number;
  /** Frames in flight when the connection dropped (rejected with CONNECTION_CLOSED, never silently lost). */
  framesLost: number;
  bytesSent: number;
  bytesReceived: number;
  /** Round trip of the last frame, ms. */
  rttLastMs: number;
  rttP50Ms: number;
  rttP99Ms: number;
  rttSamples: number;
  /**
   * Where recent frames' round trips went, per stage (p50/p99 ms): `network`, `edgeQueue`, `node`, and
   * `edgeDecode`/`edgeEncode` when the edge did those. Stages not seen yet are absent.
   */
  frameStages: Partial<Record<FrameStage, StageTiming>>;
  /** The edge's clock minus this one, ms, as measured (0 until the first measurement). */
  clockOffsetMs: number;
  /** How video travels now: encoding, the adaptation's level and why it last changed. */
  video: VideoStats;
}
