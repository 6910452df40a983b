import { ErrorCode, RemoteMediaError, type VideoFrameData } from '@remotemedia/shared';
import { drawVideoFrame } from '../render/drawVideoFrame.ts';
import { toDomVideoFrame } from './toDomVideoFrame.ts';
import { createTrackGenerator } from './trackGenerator.ts';

export interface VideoTrackWriterOptions {
  /**
   * `auto` (default): MediaStreamTrackGenerator where the browser has it, else a canvas and
   * `canvas.captureStream()`. `canvas` forces the second path.
   */
  method?: 'auto' | 'track-generator' | 'canvas';
  /** Frame rate the canvas path captures at (default 30). */
  fps?: number;
}

export interface VideoTrackWriterStats {
  written: number;
  /** Frames skipped because the previous one was still being handed to the track (latest wins). */
  dropped: number;
}

/**
 * Turns processed frames back into a MediaStream video track, so an app can record it (MediaRecorder),
 * show it in a <video>, or send it into a call (RTCPeerConnection.addTrack).
 */
export class VideoTrackWriter {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly method: 'track-generator' | 'canvas';
  readonly stats: VideoTrackWriterStats = { written: 0, dropped: 0 };
  private readonly writer: WritableStreamDefaultWriter<VideoFrame> | undefined;
  private readonly canvas: HTMLCanvasElement | undefined;
  private writing = false;
  private closed = false;

  constructor(options: VideoTrackWriterOptions = {}) {
    const method = options.method ?? 'auto';
    const generator = method === 'canvas' ? undefined : createTrackGenerator<VideoFrame>('video');
    if (generator === undefined && method === 'track-generator') {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'method "track-generator" was asked for, but this browser has no MediaStreamTrackGenerator');
    }
    if (generator !== undefined) {
      this.method = 'track-generator';
      this.writer = generator.writable.getWriter();
      this.track = generator;
      this.stream = new MediaStream([generator]);
    } else {
      this.method = 'canvas';
      this.canvas = document.createElement('canvas');
      this.stream = this.canvas.captureStream(options.fps ?? 30);
      this.track = this.stream.getVideoTracks()[0]!;
    }
  }

  /** Hands a frame to the track. Never queues: a frame arriving while the last is still in transit is skipped. */
  write(frame: VideoFrameData): void {
    if (this.closed) throw new RemoteMediaError(ErrorCode.Disposed, 'the video track writer is closed');
    if (this.canvas !== undefined) {
      drawVideoFrame(this.canvas, frame);
      this.stats.written++;
      return;
    }
    if (this.writing) {
      this.stats.dropped++;
      return;
    }
    const domFrame = toDomVideoFrame(frame);
    this.writing = true;
    this.writer!.write(domFrame)
      .then(
        () => {
          this.stats.written++;
        },
        () => {
          this.stats.dropped++;
        },
      )
      .finally(() => {
        // The generator closes frames it consumed; closing again is a no-op and covers a failed write.
        domFrame.close();
        this.writing = false;
      });
  }

  /** Ends the track. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.writer?.close().catch(() => undefined);
    this.track.stop();
  }
}
