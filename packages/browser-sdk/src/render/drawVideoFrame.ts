import { ErrorCode, RemoteMediaError, convertPixelFormat, type VideoFrameData } from '@remotemedia/shared';

/**
 * Draws an rgba, gray or i420 frame onto a canvas, resizing the canvas to the frame. i420 is read as
 * limited-range BT.601, what cameras and browsers produce.
 */
export function drawVideoFrame(canvas: HTMLCanvasElement | OffscreenCanvas, frame: VideoFrameData): void {
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (context === null) throw new RemoteMediaError(ErrorCode.InvalidInput, 'the canvas has no 2d context');
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  context.putImageData(new ImageData(toImageBytes(frame), frame.width, frame.height), 0, 0);
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
