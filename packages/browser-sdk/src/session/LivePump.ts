import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { EdgeClock } from './EdgeClock.ts';
import { InFlightLimit, type InFlightAdaptOptions, type InFlightStats } from './InFlightLimit.ts';
import type { RemoteNode } from './RemoteNode.ts';

export interface LivePumpOptions<F> {
  /**
   * Frames allowed in flight to the edge at once, fixed; past it a new frame is skipped here and counted. Unset,
   * the pump's default applies (video adapts between 1 and 2, see `inFlight`).
   */
  maxInFlight?: number;
  /** How an adaptive limit adapts (ignored when `maxInFlight` is set or the pump's default is fixed). */
  inFlight?: InFlightAdaptOptions;
  /** Outputs in capture order: a result that comes back after a newer frame's was handed over is dropped (`droppedLate`). */
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
  /**
   * Results (counted in `received`) not handed to `onOutput` because a newer frame's output already was: with
   * several frames in flight an older frame is never shown after a newer one.
   */
  droppedLate: number;
  /** Frames the node failed on. */
  failed: number;
}

/**
 * Feeds a live source through a remote node without ever queueing: with the in-flight limit's frames out, a new
 * frame is skipped rather than held, so output stays current when the edge is slower than the source.
 * Outputs reach the app in capture order. Every frame that does not come back is counted by cause, so a gap is
 * always explained.
 */
export class LivePump<F> {
  private readonly node: Pick<RemoteNode, 'process'>;
  private readonly options: LivePumpOptions<F>;
  private readonly limit: InFlightLimit;
  private inFlight = 0;
  /** Send order of the next frame, and of the newest frame whose output was handed over. */
  private nextIndex = 0;
  private lastDelivered = -1;
  private stopped = false;
  readonly stats: LivePumpStats = LivePump.emptyStats();

  /** Every counter at zero, e.g. to sum the stats of several pumps. */
  static emptyStats(): LivePumpStats {
    return { captured: 0, sent: 0, received: 0, droppedLocally: 0, droppedByEdge: 0, skippedByDeadline: 0, lost: 0, failed: 0, droppedLate: 0 };
  }

  /** `defaultMaxInFlight`: a fixed limit, or 'adaptive' (see InFlightLimit), when the app sets no `maxInFlight`. */
  constructor(node: Pick<RemoteNode, 'process'>, options: LivePumpOptions<F>, defaultMaxInFlight: number | 'adaptive') {
    this.node = node;
    this.options = options;
    const fixed = options.maxInFlight ?? (defaultMaxInFlight === 'adaptive' ? undefined : defaultMaxInFlight);
    this.limit = fixed === undefined ? new InFlightLimit(options.inFlight) : InFlightLimit.fixed(fixed);
  }

  /** The in-flight limit now and why it last changed. */
  inFlightStats(): InFlightStats {
    return this.limit.stats();
  }

  /** Runs until the source ends or `stop()` is called. */
  async run(source: AsyncIterable<F>): Promise<void> {
    for await (const frame of source) {
      if (this.stopped) break;
      // The frame's capture time as far as this pump can tell: when the source handed it over.
      const capturedAt = EdgeClock.now();
      this.stats.captured++;
      if (this.inFlight >= this.limit.limit) {
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
    const s = this.stats;
    return s.droppedLocally + s.droppedByEdge + s.skippedByDeadline + s.lost + s.failed + s.droppedLate;
  }

  private send(frame: F, capturedAt: number): void {
    this.inFlight++;
    this.stats.sent++;
    const index = this.nextIndex++;
    const started = performance.now();
    this.node
      .process(frame, { capturedAt })
      .then(
        (items) => {
          this.stats.received++;
          const roundTripMs = performance.now() - started;
          this.limit.observe(roundTripMs);
          if (index < this.lastDelivered) {
            this.stats.droppedLate++;
            return;
          }
          this.lastDelivered = index;
          if (!this.stopped) this.options.onOutput([...items], frame, roundTripMs);
        },
        (error: unknown) => {
          const code = error instanceof RemoteMediaError ? error.code : undefined;
          if (code === ErrorCode.FrameDropped) {
            this.stats.droppedByEdge++;
            this.limit.congested('the edge dropped a frame (its queue for the node was full)');
          } else if (code === ErrorCode.FrameExpired) {
            this.stats.skippedByDeadline++;
            this.limit.congested("the edge skipped a frame older than the node's deadline");
          } else if (code === ErrorCode.ConnectionClosed || code === ErrorCode.SessionClosed) this.stats.lost++;
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
