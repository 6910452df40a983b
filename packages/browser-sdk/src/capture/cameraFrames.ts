import { ErrorCode, RemoteMediaError, type PixelFormat, type VideoFrameData } from '@remotemedia/shared';
import { FrameRateGate } from './FrameRateGate.ts';
import { CanvasGrabber, fromRgba, readVideoFrame } from './readVideoFrame.ts';
import { createTrackProcessor } from './trackProcessor.ts';

export interface CameraFramesOptions {
  /** Output size; frames are scaled to it. */
  width: number;
  height: number;
  /** Pixel layout of the frames (default `rgba`). */
  format?: PixelFormat;
  /** Upper bound on frames per second; faster frames are skipped (default: the track's own rate). */
  fps?: number;
  /** Stop after this many frames (default: until the track ends or the loop breaks). */
  maxFrames?: number;
  /**
   * `auto` (default): MediaStreamTrackProcessor where the browser has it, else the canvas path.
   * `canvas`: always draw a <video> into a canvas (the path Firefox and Safari take).
   */
  method?: 'auto' | 'track-processor' | 'canvas';
}

/**
 * Frames of a camera track as VideoFrameData. Uses MediaStreamTrackProcessor where the browser has it (no
 * <video> element, browser-side format conversion), else draws a <video> into a canvas. Each DOM VideoFrame
 * is closed at once: Chromium stalls a track when more than two are held. Breaking out of the loop releases
 * the track's reader; it does not stop the track.
 */
export async function* cameraFrames(track: MediaStreamTrack, options: CameraFramesOptions): AsyncGenerator<VideoFrameData> {
  const format = options.format ?? 'rgba';
  const limit = options.maxFrames ?? Number.POSITIVE_INFINITY;
  const gate = new FrameRateGate(options.fps);
  const grabber = new CanvasGrabber(options.width, options.height);
  const method = options.method ?? 'auto';
  // Buffer of 2: when the consumer is slow the processor drops old frames itself instead of holding them,
  // and Chromium stalls a camera track when more than two of its frames are alive.
  const processor = method === 'canvas' ? undefined : createTrackProcessor<VideoFrame>(track, 2);
  if (processor === undefined && method === 'track-processor') {
    throw new RemoteMediaError(ErrorCode.InvalidInput, 'method "track-processor" was asked for, but this browser has no MediaStreamTrackProcessor');
  }
  let count = 0;
  if (processor !== undefined) {
    const reader = processor.readable.getReader();
    try {
      while (count < limit) {
        const { value: frame, done } = await reader.read();
        if (done) return;
        let out: VideoFrameData | undefined;
        try {
          const timestamp = frame.timestamp / 1000;
          if (gate.admit(timestamp)) out = await readVideoFrame(frame, format, grabber, timestamp);
        } finally {
          frame.close();
        }
        if (out === undefined) continue;
        count++;
        yield out;
      }
    } finally {
      // cancel() (not just releaseLock) tells the processor to stop pulling frames from the track.
      await reader.cancel().catch(() => undefined);
    }
    return;
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  try {
    await video.play();
    // A timer, not requestAnimationFrame/requestVideoFrameCallback: those do not fire for a detached
    // <video> or in a background tab, and capture must go on there.
    const intervalMs = 1000 / (options.fps ?? track.getSettings().frameRate ?? 30);
    while (count < limit && track.readyState === 'live') {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
      const timestamp = performance.now();
      if (!gate.admit(timestamp)) continue;
      count++;
      yield fromRgba(grabber.grab(video), options.width, options.height, format, timestamp);
    }
  } finally {
    video.pause();
    video.srcObject = null;
  }
}
