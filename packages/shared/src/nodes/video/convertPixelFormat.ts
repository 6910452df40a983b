import type { PixelFormat, VideoFrameData } from '../../frames/VideoFrameData.ts';
import { videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import { clampByte, grayToY, luma, yToGray } from './bt601.ts';
import type { YuvRange } from './bt601.ts';

/**
 * Converts a frame between rgba, i420 and gray with BT.601 coefficients. `gray` is full-range luma;
 * alpha is dropped going to i420/gray and opaque coming back. i420 chroma is the mean of each 2x2 block.
 */
export function convertPixelFormat(frame: VideoFrameData, format: PixelFormat, range: YuvRange): VideoFrameData {
  if (frame.format === format) return frame;
  if (frame.format === 'i420' && format === 'gray') {
    // Straight from the luma plane: a trip through rgba would round chroma in.
    return { ...frame, format, data: i420ToGray(frame, range) };
  }
  if (frame.format === 'gray' && format === 'i420') return { ...frame, format, data: grayToI420(frame, range) };
  const rgba = frame.format === 'rgba' ? frame.data : toRgba(frame, range);
  if (format === 'rgba') return { ...frame, format, data: rgba };
  if (format === 'gray') return { ...frame, format, data: rgbaToGray(rgba) };
  return { ...frame, format, data: rgbaToI420(rgba, frame.width, frame.height, range) };
}

function toRgba(frame: VideoFrameData, range: YuvRange): Uint8Array {
  const { width, height, data } = frame;
  const rgba = new Uint8Array(width * height * 4);
  if (frame.format === 'gray') {
    for (let i = 0; i < width * height; i++) {
      rgba.fill(data[i]!, i * 4, i * 4 + 3);
      rgba[i * 4 + 3] = 255;
    }
    return rgba;
  }
  const chromaWidth = Math.ceil(width / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * Math.ceil(height / 2);
  // yuvToRgb's arithmetic, inlined: a per-pixel result array was a third of this loop's time in garbage
  // collection (a 640x480 JPEG round trip spends most of its CPU in these conversions).
  const full = range === 'full';
  const kr = full ? 1.402 : 1.596027;
  const kgb = full ? 0.344136 : 0.391762;
  const kgr = full ? 0.714136 : 0.812968;
  const kb = full ? 1.772 : 2.017232;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * chromaWidth + (x >> 1);
      const luma = data[y * width + x]!;
      const l = full ? luma : 1.164383 * (luma - 16);
      const cb = data[uOffset + c]! - 128;
      const cr = data[vOffset + c]! - 128;
      const o = (y * width + x) * 4;
      rgba[o] = clampByte(l + kr * cr);
      rgba[o + 1] = clampByte(l - kgb * cb - kgr * cr);
      rgba[o + 2] = clampByte(l + kb * cb);
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

function rgbaToGray(rgba: Uint8Array): Uint8Array {
  const gray = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < gray.length; i++) gray[i] = clampByte(luma(rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!));
  return gray;
}

function rgbaToI420(rgba: Uint8Array, width: number, height: number, range: YuvRange): Uint8Array {
  const out = new Uint8Array(videoFrameByteLength('i420', width, height));
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  // rgbToYuv's arithmetic, inlined (see toRgba).
  const full = range === 'full';
  for (let i = 0; i < width * height; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    out[i] = clampByte(full ? luma(r, g, b) : 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255);
  }
  for (let cy = 0; cy < chromaHeight; cy++) {
    for (let cx = 0; cx < chromaWidth; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = cy * 2; y < Math.min(cy * 2 + 2, height); y++) {
        for (let x = cx * 2; x < Math.min(cx * 2 + 2, width); x++) {
          const o = (y * width + x) * 4;
          r += rgba[o]!;
          g += rgba[o + 1]!;
          b += rgba[o + 2]!;
          n++;
        }
      }
      r /= n;
      g /= n;
      b /= n;
      const u = full ? 128 - 0.168736 * r - 0.331264 * g + 0.5 * b : 128 + (-37.797 * r - 74.203 * g + 112 * b) / 255;
      const v = full ? 128 + 0.5 * r - 0.418688 * g - 0.081312 * b : 128 + (112 * r - 93.786 * g - 18.214 * b) / 255;
      out[uOffset + cy * chromaWidth + cx] = clampByte(u);
      out[vOffset + cy * chromaWidth + cx] = clampByte(v);
    }
  }
  return out;
}

function i420ToGray(frame: VideoFrameData, range: YuvRange): Uint8Array {
  const gray = new Uint8Array(frame.width * frame.height);
  for (let i = 0; i < gray.length; i++) gray[i] = clampByte(yToGray(frame.data[i]!, range));
  return gray;
}

function grayToI420(frame: VideoFrameData, range: YuvRange): Uint8Array {
  const out = new Uint8Array(videoFrameByteLength('i420', frame.width, frame.height));
  const lumaSize = frame.width * frame.height;
  for (let i = 0; i < lumaSize; i++) out[i] = clampByte(grayToY(frame.data[i]!, range));
  out.fill(128, lumaSize);
  return out;
}
