import { ErrorCode, RemoteMediaError, type AudioFrameData } from '@remotemedia/shared';
import type { RemoteNode } from '../session/RemoteNode.ts';

export interface LiveAudioPumpOptions {
  /**
   * Frames allowed in flight to the edge at once (default 16). Past it a frame is dropped here and counted:
   * waiting would make everything after it late, and late audio is worse than a counted gap. Size it to the
   * round trip: a data channel that also carries video often takes 150-400 ms (measured-facts.md), which is
   * 8-20 frames of 20 ms.
   */
  maxInFlight?: number;
  onOutput(items: unknown[], input: AudioFrameData, roundTripMs: number): void;
  /** Errors from the node (not drops or lost connections, which are only counted). */
  onError?(error: unknown, input: AudioFrameData): void;
}

export interface LiveAudioPumpStats {
  captured: number;
  sent: number;
  received: number;
  /** Frames not sent because `maxInFlight` frames were still out. */
  droppedLocally: number;
  /** Frames the edge dropped (its queue for the node was full) and told us about. */
  droppedByEdge: number;
  /** Frames in flight when the connection dropped. */
  lost: number;
  /** Frames the node failed on. */
  failed: number;
}

/**
 * Feeds live audio through a remote node. Unlike video, every frame counts: frames are sent as captured,
 * in order, and any that do not come back (dropped here, dropped by the edge, lost in a reconnect) are
 * counted by cause so a gap is always explained.
 */
export class LiveAudioPump {
  private readonly node: Pick<RemoteNode, 'process'>;
  private readonly options: LiveAudioPumpOptions;
  private inFlight = 0;
  private stopped = false;
  readonly stats: LiveAudioPumpStats = { captured: 0, sent: 0, received: 0, droppedLocally: 0, droppedByEdge: 0, lost: 0, failed: 0 };

  constructor(node: Pick<RemoteNode, 'process'>, options: LiveAudioPumpOptions) {
    this.node = node;
    this.options = options;
  }

  /** Runs until the source ends or `stop()` is called. */
  async run(source: AsyncIterable<AudioFrameData>): Promise<void> {
    const maxInFlight = this.options.maxInFlight ?? 16;
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

  /** Frames that went in and did not come out, whatever the cause. */
  get missing(): number {
    return this.stats.droppedLocally + this.stats.droppedByEdge + this.stats.lost + this.stats.failed;
  }

  private send(frame: AudioFrameData): void {
    this.inFlight++;
    this.stats.sent++;
    const started = performance.now();
    this.node
      .process(frame)
      .then(
        (items) => {
          this.stats.received++;
          if (!this.stopped) this.options.onOutput([...items], frame, performance.now() - started);
        },
        (error: unknown) => {
          const code = error instanceof RemoteMediaError ? error.code : undefined;
          if (code === ErrorCode.FrameDropped) this.stats.droppedByEdge++;
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
