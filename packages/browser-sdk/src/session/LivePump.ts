import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { EdgeClock } from './EdgeClock.ts';
import type { RemoteNode } from './RemoteNode.ts';

export interface LivePumpOptions<F> {
  /** Frames allowed in flight to the edge at once; past it a new frame is skipped here and counted. */
  maxInFlight?: number;
  onOutput(items: unknown[], input: F, roundTripMs: number): void;
  /** Errors from the node (not drops or lost connections, which are only counted). */
  onError?(error: unknown, input: F): void;
}

export interface LivePumpStats {
  captured: number;
  sent: number;
  received: number;
  /** Frames not sent because `maxInFlight` frames were still out: live media never queues without bound. */
  droppedLocally: number;
  /** Frames the edge dropped (its queue for the node was full) and told us about. */
  droppedByEdge: number;
  /** Frames the edge skipped as older than the node's deadline (FRAME_EXPIRED): the path or node is too slow. */
  skippedByDeadline: number;
  /** Frames in flight when the connection dropped. */
  lost: number;
  /** Frames the node failed on. */
  failed: number;
}

/**
 * Feeds a live source through a remote node without ever queueing: with `maxInFlight` frames out, a new
 * frame is skipped rather than held, so output stays current when the edge is slower than the source.
 * Every frame that does not come back is counted by cause, so a gap is always explained.
 */
export class LivePump<F> {
  private readonly node: Pick<RemoteNode, 'process'>;
  private readonly options: LivePumpOptions<F>;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private stopped = false;
  readonly stats: LivePumpStats = LivePump.emptyStats();

  /** Every counter at zero, e.g. to sum the stats of several pumps. */
  static emptyStats(): LivePumpStats {
    return { captured: 0, sent: 0, received: 0, droppedLocally: 0, droppedByEdge: 0, skippedByDeadline: 0, lost: 0, failed: 0 };
  }

  constructor(node: Pick<RemoteNode, 'process'>, options: LivePumpOptions<F>, defaultMaxInFlight: number) {
    this.node = node;
    this.options = options;
    this.maxInFlight = options.maxInFlight ?? defaultMaxInFlight;
  }

  /** Runs until the source ends or `stop()` is called. */
  async run(source: AsyncIterable<F>): Promise<void> {
    for await (const frame of source) {
      if (this.stopped) break;
      // The frame's capture time as far as this pump can tell: when the source handed it over.
      const capturedAt = EdgeClock.now();
      this.stats.captured++;
      if (this.inFlight >= this.maxInFlight) {
        this.stats.droppedLocally++;
        continue;
      }
      this.send(frame, capturedAt);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** Frames that went in and did not come out, whatever the cause. */
  get missing(): number {
    return this.stats.droppedLocally + this.stats.droppedByEdge + this.stats.skippedByDeadline + this.stats.lost + this.stats.failed;
  }

  private send(frame: F, capturedAt: number): void {
    this.inFlight++;
    this.stats.sent++;
    const started = performance.now();
    this.node
      .process(frame, { capturedAt })
      .then(
        (items) => {
          this.stats.received++;
          if (!this.stopped) this.options.onOutput([...items], frame, performance.now() - started);
        },
        (error: unknown) => {
          const code = error instanceof RemoteMediaError ? error.code : undefined;
          if (code === ErrorCode.FrameDropped) this.stats.droppedByEdge++;
          else if (code === ErrorCode.FrameExpired) this.stats.skippedByDeadline++;
          else if (code === ErrorCode.ConnectionClosed || code === ErrorCode.SessionClosed) this.stats.lost++;
          else {
            this.stats.failed++;
            this.options.onError?.(error, frame);
          }
        },
      )
      .finally(() => {
        this.inFlight--;
      });
  }
}
