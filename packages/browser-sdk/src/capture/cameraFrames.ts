import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';

export interface CameraFramesOptions {
  /** Output size; frames are scaled to it. */
  width: number;
  height: number;
  /** Stop after this many frames (default: until the track ends or the loop breaks). */
  maxFrames?: number;
}

interface TrackProcessorLike {
  readable: ReadableStream<VideoFrame>;
}
type TrackProcessorConstructor = new (init: { track: MediaStreamTrack }) => TrackProcessorLike;

/**
 * Frames of a camera track as RGBA VideoFrameData. Uses MediaStreamTrackProcessor where the browser has it
 * (no canvas round trip), else draws a <video> into a canvas. Each DOM VideoFrame is closed at once:
 * Chromium stalls a track when more than two are held.
 */
export async function* cameraFrames(track: MediaStreamTrack, options: CameraFramesOptions): AsyncGenerator<VideoFrameData> {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorConstructor }).MediaStreamTrackProcessor;
  const limit = options.maxFrames ?? Number.POSITIVE_INFINITY;
  const canvas = new OffscreenCanvas(options.width, options.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2d canvas context available');
  const grab = (source: CanvasImageSource, timestamp: number): VideoFrameData => {
    context.drawImage(source, 0, 0, options.width, options.height);
    const pixels = context.getImageData(0, 0, options.width, options.height).data;
    return createVideoFrame({
      width: options.width,
      height: options.height,
      format: 'rgba',
      timestamp,
      data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength),
    });
  };
  let count = 0;
  if (Processor !== undefined) {
    const reader = new Processor({ track }).readable.getReader();
    try {
      while (count < limit) {
        const { value: frame, done } = await reader.read();
        if (done) return;
        let out: VideoFrameData;
        try {
          out = grab(frame, frame.timestamp / 1000);
        } finally {
          frame.close();
        }
        count++;
        yield out;
      }
    } finally {
      reader.releaseLock();
    }
    return;
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  await video.play();
  while (count < limit && track.readyState === 'live') {
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    count++;
    yield grab(video, performance.now());
  }
}
