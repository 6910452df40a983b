import type { PixelFormat } from '../frames/VideoFrameData.ts';
import { PIXEL_FORMATS, videoFrameByteLength } from '../frames/VideoFrameData.ts';
import { convertPixelFormat } from '../nodes/video/convertPixelFormat.ts';
import { dimensions, intArg, lengthArg, separate, viewArg } from './kernelArguments.ts';

/** Whether typed arrays store the low byte first (all engines on x86 and ARM, and WebAssembly memory do). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

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
  if (LITTLE_ENDIAN && src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0) {
    // One 32-bit read and write per pixel (R in the low byte) instead of seven byte accesses.
    const from = new Uint32Array(src.buffer, src.byteOffset, src.length >> 2);
    const to = new Uint32Array(dst.buffer, dst.byteOffset, dst.length >> 2);
    for (let i = 0; i < from.length; i++) {
      const p = from[i]!;
      const y = ((p & 255) * 77 + ((p >>> 8) & 255) * 150 + ((p >>> 16) & 255) * 29) >> 8;
      to[i] = (p & 0xff000000) | (y * 0x010101);
    }
    return;
  }
  for (let i = 0; i < src.length; i += 4) {
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
