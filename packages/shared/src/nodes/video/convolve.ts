import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import { planesOf } from './planes.ts';

/** A symmetric 1-D kernel of odd length, summing to 1. */
export type Kernel = Float32Array;

export function boxKernel(radius: number): Kernel {
  return new Float32Array(2 * radius + 1).fill(1 / (2 * radius + 1));
}

/** Gaussian weights out to 3 sigma, normalised. */
export function gaussianKernel(sigma: number): Kernel {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < kernel.length; i++) kernel[i]! /= sum;
  return kernel;
}

/**
 * Blurs every colour plane of a frame with a separable kernel (rows, then columns; edges repeat the border
 * pixel), returning float values per byte of the frame so callers can blend before rounding. Alpha is kept as is.
 */
export function blurFrame(frame: VideoFrameData, kernel: Kernel): Float32Array {
  const out = new Float32Array(frame.data.length);
  const radius = (kernel.length - 1) / 2;
  for (const plane of planesOf(frame.format, frame.width, frame.height)) {
    const { offset, width, height, bytesPerPixel: bpp } = plane;
    const colourChannels = bpp === 4 ? 3 : bpp;
    const rows = new Float32Array(width * height);
    for (let channel = 0; channel < colourChannels; channel++) {
      const at = (x: number, y: number) => offset + (y * width + x) * bpp + channel;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * frame.data[at(Math.min(width - 1, Math.max(0, x + k)), y)]!;
          rows[y * width + x] = sum;
        }
      }
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let sum = 0;
          for (let k = -radius; k <= radius; k++) sum += kernel[k + radius]! * rows[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
          out[at(x, y)] = sum;
        }
      }
    }
    if (bpp === 4) for (let i = offset + 3; i < offset + width * height * 4; i += 4) out[i] = frame.data[i]!;
  }
  return out;
}
