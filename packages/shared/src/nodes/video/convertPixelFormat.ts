import type { PixelFormat, VideoFrameData } from '../../frames/VideoFrameData.ts';
import { videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import { clampByte, grayToY, luma, rgbToYuv, yToGray } from './bt601.ts';
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
    for (let i = 0, o = 0; i < width * height; i++, o += 4) {
      const v = data[i]!;
      rgba[o] = v;
      rgba[o + 1] = v;
      rgba[o + 2] = v;
      rgba[o + 3] = 255;
    }
    return rgba;
  }
  // yuvToRgb inlined, with each chroma product computed once per 2x2 block: the same arithmetic in the same
  // order, so the same bytes, without a tuple per pixel (the edge runs this on every frame a node needs as RGBA).
  const limited = range === 'limited';
  const [kr, kgb, kgr, kb] = limited ? [1.596027, 0.391762, 0.812968, 2.017232] : [1.402, 0.344136, 0.714136, 1.772];
  const chromaWidth = Math.ceil(width / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * Math.ceil(height / 2);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const chromaRow = (y >> 1) * chromaWidth;
    for (let x = 0; x < width; x++) {
      const c = chromaRow + (x >> 1);
      const cb = data[uOffset + c]! - 128;
      const cr = data[vOffset + c]! - 128;
      const luma = data[row + x]!;
      const l = limited ? 1.164383 * (luma - 16) : luma;
      const o = (row + x) * 4;
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
  // The Y of rgbToYuv, inlined (same arithmetic, same bytes): no [y, u, v] array per pixel.
  const limited = range === 'limited';
  for (let i = 0, o = 0; i < width * height; i++, o += 4) {
    const r = rgba[o]!;
    const g = rgba[o + 1]!;
    const b = rgba[o + 2]!;
    out[i] = clampByte(limited ? 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255 : luma(r, g, b));
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
      const [, u, v] = rgbToYuv(r / n, g / n, b / n, range);
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
