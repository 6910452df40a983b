// The kernels as a node calls them: images and sample blocks in, outputs allocated unless given. Each one calls
// runKernel, which runs it here (plain JS) or, inside the edge's sandbox, on the host over the guest's memory.
import type { PixelFormat } from '../frames/VideoFrameData.ts';
import { PIXEL_FORMATS, videoFrameByteLength } from '../frames/VideoFrameData.ts';
import { RESIZE_MODES, type ResizeMode } from './pixelGeometry.ts';
import { runKernel } from './runKernel.ts';

/** A packed image: gray (1 byte per pixel) or rgba (4), row after row. A gray or rgba VideoFrameData is one. */
export interface KernelImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A length to allocate, or 0 when the arguments it came from are bad (the kernel then names the bad one). */
function size(n: number): number {
  return Number.isSafeInteger(n) && n >= 0 && n <= 2 ** 31 ? n : 0;
}
const bytes = (n: number): Uint8Array => new Uint8Array(size(n));
const channelsOf = (image: KernelImage): number => (image.width * image.height === image.data?.length ? 1 : 4);
const imageBytes = (image: KernelImage, width = image.width, height = image.height): Uint8Array => bytes(width * height * channelsOf(image));

// ---- pixels: conversion and point operations ----

/** RGBA in, RGBA out: R, G and B become the pixel's luma (77R + 150G + 29B) >> 8; alpha kept. `dst` may be image.data. */
export function grayscale(image: KernelImage, dst: Uint8Array = bytes(image.data?.length)): Uint8Array {
  runKernel('grayscaleRgba', image.data, dst, image.width, image.height);
  return dst;
}

/** Converts between rgba, i420 and gray (BT.601, as the VideoFormatConverter node); `range` of the YUV side. */
export function convert(
  frame: KernelImage & { readonly format: PixelFormat },
  to: PixelFormat,
  options: { range?: 'limited' | 'full'; dst?: Uint8Array } = {},
): Uint8Array {
  const toIndex = PIXEL_FORMATS.indexOf(to);
  const dst = options.dst ?? bytes(toIndex < 0 ? 0 : videoFrameByteLength(to, frame.width, frame.height));
  runKernel(
    'convertFormat',
    frame.data,
    PIXEL_FORMATS.indexOf(frame.format),
    dst,
    toIndex,
    frame.width,
    frame.height,
    options.range === 'full' ? 1 : 0,
  );
  return dst;
}

/** Per-channel lookup: dst[i] = table[(i % channels) * 256 + src[i]] (`table` holds 256 entries per channel). */
export function applyLut(src: Uint8Array, table: Uint8Array, channels = 1, dst: Uint8Array = bytes(src?.length)): Uint8Array {
  runKernel('applyLut', src, dst, table, channels);
  return dst;
}

export interface Adjustment {
  /** Added after contrast, -255..255 (default 0). */
  brightness?: number;
  /** Factor around mid-gray 128 (default 1). */
  contrast?: number;
  /** Output = 255 * (input / 255) ^ (1 / gamma), applied first (default 1). */
  gamma?: number;
}

/** The lookup table of an adjustment: gamma, then contrast around 128, then brightness, rounded and clamped. */
export function adjustmentTable(adjustment: Adjustment, channels: 1 | 4 = 1): Uint8Array {
  const { brightness = 0, contrast = 1, gamma = 1 } = adjustment;
  const table = new Uint8Array(256 * channels);
  for (let v = 0; v < 256; v++) {
    const g = gamma > 0 && Number.isFinite(gamma) ? 255 * (v / 255) ** (1 / gamma) : v;
    const out = Math.min(255, Math.max(0, Math.round((g - 128) * contrast + 128 + brightness)));
    for (let c = 0; c < channels; c++) table[c * 256 + v] = channels === 4 && c === 3 ? v : out;
  }
  return table;
}

/** Brightness, contrast and gamma through one lookup table (alpha untouched for rgba). */
export function adjust(image: KernelImage, adjustment: Adjustment, dst: Uint8Array = bytes(image.data?.length)): Uint8Array {
  const channels = channelsOf(image) as 1 | 4;
  return applyLut(image.data, adjustmentTable(adjustment, channels), channels, dst);
}

/** dst[i] = src[i] > level ? above : below (defaults 255 and 0): a binary mask from gray. */
export function threshold(src: Uint8Array, level: number, options: { below?: number; above?: number; dst?: Uint8Array } = {}): Uint8Array {
  const dst = options.dst ?? bytes(src?.length);
  runKernel('threshold', src, dst, level, options.below ?? 0, options.above ?? 255);
  return dst;
}

/** a * (1 - weight) + b * weight, byte by byte (weight 0..1, in steps of 1/256). */
export function blend(a: Uint8Array, b: Uint8Array, weight: number, dst: Uint8Array = bytes(a?.length)): Uint8Array {
  runKernel('blend', a, b, dst, weight);
  return dst;
}

/** RGBA: R, G, B blended toward `color` by `weight` (0..1); alpha kept. */
export function blendColor(
  src: Uint8Array,
  color: readonly [number, number, number],
  weight: number,
  dst: Uint8Array = bytes(src?.length),
): Uint8Array {
  runKernel('blendColor', src, dst, color[0], color[1], color[2], weight);
  return dst;
}

/** RGBA: `over` alpha-composited onto `under` (straight alpha). */
export function composite(over: Uint8Array, under: Uint8Array, dst: Uint8Array = bytes(over?.length)): Uint8Array {
  runKernel('composite', over, under, dst);
  return dst;
}

/** |a - b| byte by byte. */
export function difference(a: Uint8Array, b: Uint8Array, dst: Uint8Array = bytes(a?.length)): Uint8Array {
  runKernel('difference', a, b, dst);
  return dst;
}

// ---- pixels: geometry ----

/** The rectangle `rect` (inside the image) as a new packed image of the same channels. */
export function crop(image: KernelImage, rect: Rect, dst: Uint8Array = imageBytes(image, rect.width, rect.height)): Uint8Array {
  runKernel('crop', image.data, image.width, image.height, dst, rect.x, rect.y, rect.width, rect.height);
  return dst;
}

/** Mirrored left-right (`horizontal`), top-bottom (`vertical`), or both. */
export function flip(image: KernelImage, how: { horizontal?: boolean; vertical?: boolean }, dst: Uint8Array = imageBytes(image)): Uint8Array {
  runKernel('flip', image.data, dst, image.width, image.height, how.horizontal === true ? 1 : 0, how.vertical === true ? 1 : 0);
  return dst;
}

/** Rotated clockwise by 90, 180 or 270 degrees (90 and 270 swap width and height). */
export function rotate(image: KernelImage, degrees: 90 | 180 | 270, dst: Uint8Array = imageBytes(image)): Uint8Array {
  runKernel('rotate', image.data, dst, image.width, image.height, degrees);
  return dst;
}

/** Scaled to width x height: nearest, bilinear (default) or area (box average, for shrinking). */
export function resize(
  image: KernelImage,
  width: number,
  height: number,
  mode: ResizeMode = 'bilinear',
  dst: Uint8Array = imageBytes(image, width, height),
): Uint8Array {
  runKernel('resize', image.data, image.width, image.height, dst, width, height, RESIZE_MODES.indexOf(mode));
  return dst;
}

// ---- pixels: filters ----

/** Convolution weights, row by row, for convolve(). */
export const FILTERS = {
  box3: new Array<number>(9).fill(1 / 9),
  box5: new Array<number>(25).fill(1 / 25),
  gaussian3: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((w) => w / 16),
  gaussian5: [1, 4, 6, 4, 1, 4, 16, 24, 16, 4, 6, 24, 36, 24, 6, 4, 16, 24, 16, 4, 1, 4, 6, 4, 1].map((w) => w / 256),
  sharpen3: [0, -1, 0, -1, 5, -1, 0, -1, 0],
} as const;

/** 3x3 box blur, integer: floor((sum of 9 + 4) / 9) per channel, edges repeated. */
export function boxBlur3x3(image: KernelImage, dst: Uint8Array = imageBytes(image)): Uint8Array {
  runKernel('boxBlur3x3', image.data, dst, image.width, image.height);
  return dst;
}

/** 3x3 or 5x5 convolution with `weights` (9 or 25, row by row; see FILTERS), edges repeated. */
export function convolve(image: KernelImage, weights: ArrayLike<number>, dst: Uint8Array = imageBytes(image)): Uint8Array {
  const w = Float32Array.from(weights);
  runKernel('convolve', image.data, dst, image.width, image.height, w, w.length === 25 ? 5 : w.length === 9 ? 3 : w.length);
  return dst;
}

/** Separable filter: `horizontal` taps along rows, then `vertical` along columns (odd counts up to 31). */
export function separableFilter(
  image: KernelImage,
  horizontal: ArrayLike<number>,
  vertical: ArrayLike<number>,
  dst: Uint8Array = imageBytes(image),
): Uint8Array {
  runKernel('separableFilter', image.data, dst, image.width, image.height, Float32Array.from(horizontal), Float32Array.from(vertical));
  return dst;
}

/** Sobel edge magnitude of a gray image: min(255, |Gx| + |Gy|). */
export function sobel(image: KernelImage, dst: Uint8Array = bytes(image.width * image.height)): Uint8Array {
  runKernel('sobel', image.data, dst, image.width, image.height);
  return dst;
}

/** 3x3 minimum per channel. */
export function erode(image: KernelImage, dst: Uint8Array = imageBytes(image)): Uint8Array {
  runKernel('morphology', image.data, dst, image.width, image.height, 0);
  return dst;
}

/** 3x3 maximum per channel. */
export function dilate(image: KernelImage, dst: Uint8Array = imageBytes(image)): Uint8Array {
  runKernel('morphology', image.data, dst, image.width, image.height, 1);
  return dst;
}

// ---- pixels: measures and drawing ----

/** Counts of each value per channel (256 per channel, channel after channel). */
export function histogram(src: Uint8Array, channels = 1, counts: Uint32Array = new Uint32Array(size(256 * channels))): Uint32Array {
  runKernel('histogram', src, channels, counts);
  return counts;
}

/** Mean and population variance of each channel over `rect` (default: the whole image). */
export function meanVariance(
  image: KernelImage,
  rect: Rect = { x: 0, y: 0, width: image.width, height: image.height },
): { mean: number[]; variance: number[] } {
  const out = new Float64Array(2 * channelsOf(image));
  runKernel('meanVariance', image.data, image.width, image.height, rect.x, rect.y, rect.width, rect.height, out);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < out.length; c += 2) {
    mean.push(out[c]!);
    variance.push(out[c + 1]!);
  }
  return { mean, variance };
}

/** Outlines `rect` (inside the image) in place, `thickness` pixels inward; gray images use color[0]. */
export function drawRect(image: KernelImage, rect: Rect, color: readonly number[], thickness = 1): Uint8Array {
  runKernel(
    'drawRect',
    image.data,
    image.width,
    image.height,
    rect.x,
    rect.y,
    rect.width,
    rect.height,
    thickness,
    color[0],
    color[1] ?? 0,
    color[2] ?? 0,
    color[3] ?? 255,
  );
  return image.data;
}

// ---- audio ----

/** samples * factor. */
export function gain(samples: Float32Array, factor: number, dst: Float32Array = new Float32Array(size(samples?.length))): Float32Array {
  runKernel('gain', samples, dst, factor);
  return dst;
}

/** a * gainA + b * gainB, sample by sample. */
export function mix(a: Float32Array, b: Float32Array, gainA = 1, gainB = 1, dst: Float32Array = new Float32Array(size(a?.length))): Float32Array {
  runKernel('mix', a, b, dst, gainA, gainB);
  return dst;
}

/**
 * One biquad section over a block: `coefficients` from biquadCoefficients(); `state` (Float64Array of 2) carries
 * the filter across blocks, so pass the same one for consecutive blocks of a stream.
 */
export function biquad(
  samples: Float32Array,
  coefficients: Float64Array,
  state: Float64Array,
  dst: Float32Array = new Float32Array(size(samples?.length)),
): Float32Array {
  runKernel('biquad', samples, dst, coefficients, state);
  return dst;
}

/** |FFT| of a power-of-two block: length / 2 + 1 bins from DC to Nyquist (unnormalized). */
export function fftMagnitude(samples: Float32Array, out: Float32Array = new Float32Array(size(samples?.length / 2 + 1))): Float32Array {
  runKernel('fftMagnitude', samples, out);
  return out;
}

/** RMS and peak absolute sample of a block. */
export function rmsPeak(samples: Float32Array): { rms: number; peak: number } {
  const out = new Float64Array(2);
  runKernel('rmsPeak', samples, out);
  return { rms: out[0]!, peak: out[1]! };
}
