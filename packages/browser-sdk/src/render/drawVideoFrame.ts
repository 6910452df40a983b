import { ErrorCode, RemoteMediaError, type VideoFrameData } from '@remotemedia/shared';

/** Draws an RGBA or gray frame onto a canvas, resizing the canvas to the frame. */
export function drawVideoFrame(canvas: HTMLCanvasElement | OffscreenCanvas, frame: VideoFrameData): void {
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (context === null) throw new RemoteMediaError(ErrorCode.InvalidInput, 'the canvas has no 2d context');
  if (canvas.width !== frame.width) canvas.width = frame.width;
  if (canvas.height !== frame.height) canvas.height = frame.height;
  let rgba: Uint8ClampedArray<ArrayBuffer>;
  if (frame.format === 'rgba') {
    rgba = new Uint8ClampedArray(frame.data.byteLength);
    rgba.set(frame.data);
  } else if (frame.format === 'gray') {
    rgba = new Uint8ClampedArray(frame.width * frame.height * 4);
    for (let i = 0, j = 0; i < frame.data.length; i++, j += 4) {
      const y = frame.data[i]!;
      rgba[j] = y;
      rgba[j + 1] = y;
      rgba[j + 2] = y;
      rgba[j + 3] = 255;
    }
  } else {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `drawVideoFrame draws rgba and gray frames, not ${frame.format}`);
  }
  context.putImageData(new ImageData(rgba, frame.width, frame.height), 0, 0);
}
