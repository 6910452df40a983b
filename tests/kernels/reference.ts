// Straightforward per-pixel definitions of what each kernel computes, written independently of the kernels'
// (optimized) code, to test them against. Borders repeat the edge pixel.
import type { KernelImage } from '@remotemedia/shared/kernels';

export const channels = (image: KernelImage): number => image.data.length / (image.width * image.height);

export function pixel(image: KernelImage, x: number, y: number, c: number): number {
  const cx = Math.min(image.width - 1, Math.max(0, x));
  const cy = Math.min(image.height - 1, Math.max(0, y));
  return image.data[(cy * image.width + cx) * channels(image) + c]!;
}

/** Applies `f(x, y, c)` to every output sample of a w x h image with `ch` channels. */
export function build(width: number, height: number, ch: number, f: (x: number, y: number, c: number) => number): Uint8Array {
  const out = new Uint8Array(width * height * ch);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < ch; c++) out[(y * width + x) * ch + c] = f(x, y, c);
  return out;
}

export function neighbourhood(image: KernelImage, x: number, y: number, c: number, radius: number): number[] {
  const values: number[] = [];
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) values.push(pixel(image, x + dx, y + dy, c));
  return values;
}

export const refBoxBlur = (image: KernelImage): Uint8Array =>
  build(image.width, image.height, channels(image), (x, y, c) => Math.floor((neighbourhood(image, x, y, c, 1).reduce((s, v) => s + v, 0) + 4) / 9));

export function refConvolve(image: KernelImage, weights: readonly number[]): Uint8Array {
  const size = Math.sqrt(weights.length);
  return build(image.width, image.height, channels(image), (x, y, c) => {
    const values = neighbourhood(image, x, y, c, size >> 1);
    const acc = values.reduce((s, v, i) => s + v * Math.fround(weights[i]!), 0);
    return Math.min(255, Math.max(0, Math.round(acc)));
  });
}

export const refSobel = (image: KernelImage): Uint8Array =>
  build(image.width, image.height, 1, (x, y) => {
    const p = (dx: number, dy: number) => pixel(image, x + dx, y + dy, 0);
    const gx = p(1, -1) + 2 * p(1, 0) + p(1, 1) - p(-1, -1) - 2 * p(-1, 0) - p(-1, 1);
    const gy = p(-1, 1) + 2 * p(0, 1) + p(1, 1) - p(-1, -1) - 2 * p(0, -1) - p(1, -1);
    return Math.min(255, Math.abs(gx) + Math.abs(gy));
  });

export const refMorphology = (image: KernelImage, dilate: boolean): Uint8Array =>
  build(image.width, image.height, channels(image), (x, y, c) => (dilate ? Math.max : Math.min)(...neighbourhood(image, x, y, c, 1)));

/** Direct form I biquad in double precision. */
export function refBiquad(samples: Float32Array, [b0, b1, b2, a1, a2]: Float64Array): Float32Array {
  const out = new Float32Array(samples.length);
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    const y = b0! * x + b1! * x1 + b2! * x2 - a1! * y1 - a2! * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    out[i] = y;
  }
  return out;
}

/** |DFT| bins 0..n/2 by the definition. */
export function refDftMagnitude(samples: Float32Array): number[] {
  const n = samples.length;
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += samples[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= samples[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    out.push(Math.hypot(re, im));
  }
  return out;
}
