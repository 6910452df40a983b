import { biquad, fftMagnitude, gain, mix, rmsPeak } from './audio.ts';
import { convertFormat, grayscaleRgba } from './pixelConvert.ts';
import { boxBlur3x3, convolve, morphology, separableFilter, sobel } from './pixelFilter.ts';
import { crop, flip, resize, rotate } from './pixelGeometry.ts';
import { drawRect, histogram, meanVariance } from './pixelMeasure.ts';
import { applyLut, blend, blendColor, composite, difference, threshold } from './pixelPoint.ts';

/**
 * What a kernel takes, position by position: a typed array of one kind, or a number. The edge's sandbox binds
 * each kernel to a host function from this table: it resolves array arguments to views of the sandbox's own
 * memory (never from a pointer the guest names) and passes numbers through, then the kernel checks them all.
 */
export type KernelArgKind = 'u8' | 'u32' | 'f32' | 'f64' | 'number';

export interface KernelEntry {
  readonly args: readonly { readonly name: string; readonly kind: KernelArgKind }[];
  /** Takes the positional arguments `args` describes (typed as never: each kernel has its own list). */
  readonly run: (...args: never[]) => void;
}

/** Builds an entry from a spec like 'src:u8 dst:u8 width height' (a name without a kind is a number). */
function entry(spec: string, run: (...args: never[]) => void): KernelEntry {
  const args = spec.split(' ').map((part) => {
    const [name, kind = 'number'] = part.split(':') as [string, KernelArgKind | undefined];
    return { name, kind };
  });
  return { args, run };
}

/** Every kernel by name. Each run() validates its arguments before touching a byte and writes only to its outputs. */
export const KERNEL_TABLE = {
  grayscaleRgba: entry('src:u8 dst:u8 width height', grayscaleRgba),
  convertFormat: entry('src:u8 srcFormat dst:u8 dstFormat width height fullRange', convertFormat),
  applyLut: entry('src:u8 dst:u8 table:u8 channels', applyLut),
  threshold: entry('src:u8 dst:u8 level below above', threshold),
  blend: entry('a:u8 b:u8 dst:u8 weight', blend),
  blendColor: entry('src:u8 dst:u8 red green blue weight', blendColor),
  composite: entry('over:u8 under:u8 dst:u8', composite),
  difference: entry('a:u8 b:u8 dst:u8', difference),
  crop: entry('src:u8 width height dst:u8 x y cropWidth cropHeight', crop),
  flip: entry('src:u8 dst:u8 width height horizontal vertical', flip),
  rotate: entry('src:u8 dst:u8 width height degrees', rotate),
  resize: entry('src:u8 width height dst:u8 dstWidth dstHeight mode', resize),
  boxBlur3x3: entry('src:u8 dst:u8 width height', boxBlur3x3),
  convolve: entry('src:u8 dst:u8 width height weights:f32 size', convolve),
  separableFilter: entry('src:u8 dst:u8 width height horizontal:f32 vertical:f32', separableFilter),
  sobel: entry('src:u8 dst:u8 width height', sobel),
  morphology: entry('src:u8 dst:u8 width height operation', morphology),
  histogram: entry('src:u8 channels counts:u32', histogram),
  meanVariance: entry('src:u8 width height x y rectWidth rectHeight out:f64', meanVariance),
  drawRect: entry('image:u8 width height x y rectWidth rectHeight thickness red green blue alpha', drawRect),
  gain: entry('src:f32 dst:f32 factor', gain),
  mix: entry('a:f32 b:f32 dst:f32 gainA gainB', mix),
  biquad: entry('src:f32 dst:f32 coefficients:f64 state:f64', biquad),
  fftMagnitude: entry('src:f32 out:f32', fftMagnitude),
  rmsPeak: entry('src:f32 out:f64', rmsPeak),
} satisfies Record<string, KernelEntry>;

export type KernelName = keyof typeof KERNEL_TABLE;
