import { ErrorCode, RemoteMediaError, convertPixelFormat, videoFrameByteLength, type VideoFrameData } from '@remotemedia/shared';

/** Limited-range BT.601, what cameras and browsers produce, and how the SDK reads i420. */
const CAMERA_COLOR_SPACE: VideoColorSpaceInit = { matrix: 'smpte170m', primaries: 'smpte170m', transfer: 'smpte170m', fullRange: false };

/**
 * Draws an rgba, gray or i420 frame onto a canvas, resizing the canvas to the frame. i420 is read as
 * limited-range BT.601, what cameras and browsers produce. rgba is drawn from the frame's own bytes (no copy);
 * i420 of even size through a WebCodecs VideoFrame where the browser has one, so the browser converts it
 * natively (a JS pass over 640x480 takes several ms of the page's main thread).
 */
export function drawVideoFrame(canvas: HTMLCanvasElement | OffscreenCanvas, frame: VideoFrameData): void {
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (context === null) throw new RemoteMediaError(ErrorCode.InvalidInput, 'the canvas has no 2d context');
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  const { data, width, height } = frame;
  if (frame.format === 'rgba' && data.buffer instanceof ArrayBuffer && data.byteLength === width * height * 4) {
    // putImageData copies the pixels out at once: a view over the frame's bytes is enough.
    context.putImageData(new ImageData(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width, height), 0, 0);
    return;
  }
  const evenI420 = frame.format === 'i420' && width % 2 === 0 && height % 2 === 0 && data.byteLength === videoFrameByteLength('i420', width, height);
  if (evenI420 && typeof VideoFrame === 'function') {
    const native = new VideoFrame(data, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: 0, colorSpace: CAMERA_COLOR_SPACE });
    try {
      context.drawImage(native, 0, 0);
    } finally {
      native.close();
    }
    return;
  }
  context.putImageData(new ImageData(toImageBytes(frame), width, height), 0, 0);
}

/** The frame's pixels as RGBA in a buffer ImageData accepts (a copy: the frame stays the caller's). */
export function toImageBytes(frame: VideoFrameData): Uint8ClampedArray<ArrayBuffer> {
  if (frame.format !== 'rgba' && frame.format !== 'gray' && frame.format !== 'i420') {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `cannot draw a frame of pixel format ${String(frame.format)}`);
  }
  if (frame.format === 'gray') {
    const rgba = new Uint8ClampedArray(frame.width * frame.height * 4);
    for (let i = 0, j = 0; i < frame.data.length; i++, j += 4) {
      const y = frame.data[i]!;
      rgba[j] = y;
      rgba[j + 1] = y;
      rgba[j + 2] = y;
      rgba[j + 3] = 255;
    }
    return rgba;
  }
  const source = frame.format === 'rgba' ? frame.data : convertPixelFormat(frame, 'rgba', 'limited').data;
  const rgba = new Uint8ClampedArray(source.byteLength);
  rgba.set(source);
  return rgba;
}
