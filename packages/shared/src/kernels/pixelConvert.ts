import type { PixelFormat } from '../frames/VideoFrameData.ts';
import { PIXEL_FORMATS, videoFrameByteLength } from '../frames/VideoFrameData.ts';
import { convertPixelFormat } from '../nodes/video/convertPixelFormat.ts';
import { dimensions, intArg, lengthArg, separate, viewArg } from './kernelArguments.ts';

/**
 * RGBA to RGBA gray: each pixel's R, G and B become its luma (77 R + 150 G + 29 B) >> 8 (BT.601 weights in
 * 8-bit fixed point); alpha is kept. `dst` may be `src` itself.
 */
export function grayscaleRgba(src: Uint8Array, dst: Uint8Array, width: number, height: number): void {
  const k = 'grayscaleRgba';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  dimensions(k, width, height);
  lengthArg(k, 'src', src, width * height * 4);
  lengthArg(k, 'dst', dst, width * height * 4);
  separate(k, 'dst', dst, 'src', src, true);
  const n = src.length;
  for (let i = 0; i < n; i += 4) {
    const y = (src[i]! * 77 + src[i + 1]! * 150 + src[i + 2]! * 29) >> 8;
    dst[i] = y;
    dst[i + 1] = y;
    dst[i + 2] = y;
    dst[i + 3] = src[i + 3]!;
  }
}

/**
 * Converts between rgba, i420 and gray with BT.601 coefficients, exactly as the VideoFormatConverter node does
 * (its code runs here). Formats are indexes into PIXEL_FORMATS (0 rgba, 1 i420, 2 gray); `fullRange` 1 means
 * full-range YUV, 0 limited. Works through one intermediate buffer of the output's size.
 */
export function convertFormat(
  src: Uint8Array,
  srcFormat: number,
  dst: Uint8Array,
  dstFormat: number,
  width: number,
  height: number,
  fullRange: number,
): void {
  const k = 'convertFormat';
  viewArg(k, 'src', src, Uint8Array);
  viewArg(k, 'dst', dst, Uint8Array);
  const from = PIXEL_FORMATS[intArg(k, 'srcFormat', srcFormat, 0, PIXEL_FORMATS.length - 1)] as PixelFormat;
  const to = PIXEL_FORMATS[intArg(k, 'dstFormat', dstFormat, 0, PIXEL_FORMATS.length - 1)] as PixelFormat;
  dimensions(k, width, height);
  intArg(k, 'fullRange', fullRange, 0, 1);
  lengthArg(k, 'src', src, videoFrameByteLength(from, width, height));
  lengthArg(k, 'dst', dst, videoFrameByteLength(to, width, height));
  separate(k, 'dst', dst, 'src', src, false);
  const frame = { kind: 'video' as const, width, height, format: from, timestamp: 0, data: src };
  dst.set(convertPixelFormat(frame, to, fullRange === 1 ? 'full' : 'limited').data);
}
