import { ErrorCode, RemoteMediaError, type VideoFrameData } from '@remotemedia/shared';
import type { RemoteNode } from './RemoteNode.ts';

export interface LiveVideoPumpOptions {
  /** Frames allowed in flight to the edge at once. One keeps latency lowest on a busy link. */
  maxInFlight?: number;
  onOutput(items: unknown[], input: VideoFrameData, roundTripMs: number): void;
  onError?(error: unknown, input: VideoFrameData): void;
}

export interface LiveVideoPumpStats {
  captured: number;
  sent: number;
  received: number;
  /** Frames skipped here because the edge was still busy: live video never queues without bound. */
  droppedLocally: number;
  /** Frames the edge dropped or failed. */
  failed: number;
}

/**
 * Feeds a live frame source through a remote node, latest-wins: when the edge is slower than the camera,
 * new frames are skipped (and counted) instead of queued, so what you see is never stale.
 */
export class LiveVideoPump {
  private readonly node: RemoteNode;
  private readonly options: LiveVideoPumpOptions;
  private inFlight = 0;
  private stopped = false;
  readonly stats: LiveVideoPumpStats = { captured: 0, sent: 0, received: 0, droppedLocally: 0, failed: 0 };

  constructor(node: RemoteNode, options: LiveVideoPumpOptions) {
    this.node = node;
    this.options = options;
  }

  /** Runs until the source ends or `stop()` is called. */
  async run(source: AsyncIterable<VideoFrameData>): Promise<void> {
    const maxInFlight = this.options.maxInFlight ?? 1;
    for await (const frame of source) {
      if (this.stopped) break;
      this.stats.captured++;
      if (this.inFlight >= maxInFlight) {
        this.stats.droppedLocally++;
        continue;
      }
      this.send(frame);
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private send(frame: VideoFrameData): void {
    this.inFlight++;
    this.stats.sent++;
    const started = performance.now();
    this.node.process(frame).then(
      (items) => {
        this.stats.received++;
        this.options.onOutput([...items], frame, performance.now() - started);
      },
      (error: unknown) => {
        this.stats.failed++;
        if (!(error instanceof RemoteMediaError && error.code === ErrorCode.FrameDropped)) this.options.onError?.(error, frame);
      },
    ).finally(() => {
      this.inFlight--;
    });
  }
}
