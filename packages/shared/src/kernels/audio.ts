import { kernelArgumentError, lengthArg, numArg, separate, viewArg } from './kernelArguments.ts';

/** Audio kernels over Float32Array samples (interleaved channels are just samples to these). */

/** dst[i] = src[i] * gain; in place allowed. */
export function gain(src: Float32Array, dst: Float32Array, factor: number): void {
  const k = 'gain';
  viewArg(k, 'src', src, Float32Array);
  viewArg(k, 'dst', dst, Float32Array);
  numArg(k, 'factor', factor);
  lengthArg(k, 'dst', dst, src.length);
  separate(k, 'dst', dst, 'src', src, true);
  for (let i = 0; i < src.length; i++) dst[i] = src[i]! * factor;
}

/** dst[i] = a[i] * gainA + b[i] * gainB; in place over a or b allowed. */
export function mix(a: Float32Array, b: Float32Array, dst: Float32Array, gainA: number, gainB: number): void {
  const k = 'mix';
  viewArg(k, 'a', a, Float32Array);
  viewArg(k, 'b', b, Float32Array);
  viewArg(k, 'dst', dst, Float32Array);
  numArg(k, 'gainA', gainA);
  numArg(k, 'gainB', gainB);
  lengthArg(k, 'b', b, a.length);
  lengthArg(k, 'dst', dst, a.length);
  separate(k, 'dst', dst, 'a', a, true);
  separate(k, 'dst', dst, 'b', b, true);
  for (let i = 0; i < a.length; i++) dst[i] = a[i]! * gainA + b[i]! * gainB;
}

/**
 * One biquad section (transposed direct form II): `coefficients` b0, b1, b2, a1, a2 (a0 normalized to 1);
 * `state` (2 values) carries the filter's memory from one block to the next and is updated. In place allowed.
 */
export function biquad(src: Float32Array, dst: Float32Array, coefficients: Float64Array, state: Float64Array): void {
  const k = 'biquad';
  viewArg(k, 'src', src, Float32Array);
  viewArg(k, 'dst', dst, Float32Array);
  viewArg(k, 'coefficients', coefficients, Float64Array);
  viewArg(k, 'state', state, Float64Array);
  lengthArg(k, 'coefficients', coefficients, 5);
  lengthArg(k, 'state', state, 2);
  lengthArg(k, 'dst', dst, src.length);
  for (let i = 0; i < 5; i++)
    if (!Number.isFinite(coefficients[i]!)) throw kernelArgumentError(k, 'coefficients', `holds ${coefficients[i]} at ${i}`);
  for (let i = 0; i < 2; i++) if (!Number.isFinite(state[i]!)) throw kernelArgumentError(k, 'state', `holds ${state[i]} at ${i}`);
  separate(k, 'dst', dst, 'src', src, true);
  separate(k, 'state', state, 'coefficients', coefficients, false);
  const [b0, b1, b2, a1, a2] = coefficients as unknown as [number, number, number, number, number];
  let z1 = state[0]!;
  let z2 = state[1]!;
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    const y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    dst[i] = y;
  }
  state[0] = z1;
  state[1] = z2;
}

/** Largest FFT size: 2^16 samples (1.4 s at 48 kHz). */
export const MAX_FFT_SIZE = 65536;

/** Magnitude spectrum of a real block whose length is a power of two (2..MAX_FFT_SIZE): n/2 + 1 bins, |X[k]|. */
export function fftMagnitude(src: Float32Array, out: Float32Array): void {
  const k = 'fftMagnitude';
  viewArg(k, 'src', src, Float32Array);
  viewArg(k, 'out', out, Float32Array);
  const n = src.length;
  if (n < 2 || n > MAX_FFT_SIZE || (n & (n - 1)) !== 0)
    throw kernelArgumentError(k, 'src', `must hold a power of two of samples from 2 to ${MAX_FFT_SIZE}, has ${n}`);
  lengthArg(k, 'out', out, n / 2 + 1);
  separate(k, 'out', out, 'src', src, false);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0, j = 0; i < n; i++) {
    re[j] = src[i]!;
    // Bit-reversed index of i + 1, built incrementally.
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let start = 0; start < n; start += len) {
      let cr = 1;
      let ci = 0;
      for (let j = 0; j < len >> 1; j++) {
        const a = start + j;
        const b = a + (len >> 1);
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
  for (let i = 0; i <= n / 2; i++) out[i] = Math.hypot(re[i]!, im[i]!);
}

/** RMS and peak (largest absolute sample) of a block into `out` (2 values); 0 and 0 for an empty block. */
export function rmsPeak(src: Float32Array, out: Float64Array): void {
  const k = 'rmsPeak';
  viewArg(k, 'src', src, Float32Array);
  viewArg(k, 'out', out, Float64Array);
  lengthArg(k, 'out', out, 2);
  separate(k, 'out', out, 'src', src, false);
  let squares = 0;
  let peak = 0;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    squares += v * v;
    const a = v < 0 ? -v : v;
    if (a > peak) peak = a;
  }
  out[0] = src.length === 0 ? 0 : Math.sqrt(squares / src.length);
  out[1] = peak;
}
