import { kernelArgumentError, numArg } from './kernelArguments.ts';

export type BiquadType = 'lowpass' | 'highpass' | 'bandpass' | 'notch' | 'lowshelf' | 'highshelf';
const TYPES: readonly BiquadType[] = ['lowpass', 'highpass', 'bandpass', 'notch', 'lowshelf', 'highshelf'];

export interface BiquadDesign {
  type: BiquadType;
  /** Corner, centre or shelf frequency in Hz, below half the sample rate. */
  frequency: number;
  sampleRate: number;
  /** Quality factor (default 1/sqrt(2): Butterworth for low/high-pass). */
  q?: number;
  /** Shelf gain in dB (shelves only). */
  gainDb?: number;
}

/**
 * Normalized coefficients b0, b1, b2, a1, a2 of the standard audio-EQ-cookbook biquads (bilinear transform
 * with pre-warped frequency), for the biquad kernel.
 */
export function biquadCoefficients(design: BiquadDesign): Float64Array {
  const k = 'biquadCoefficients';
  if (!TYPES.includes(design.type)) throw kernelArgumentError(k, 'type', `must be one of ${TYPES.join(', ')}, got ${String(design.type)}`);
  const rate = numArg(k, 'sampleRate', design.sampleRate, 1, 1_000_000);
  const f = numArg(k, 'frequency', design.frequency, Number.MIN_VALUE, rate / 2 - Number.EPSILON * rate);
  const q = numArg(k, 'q', design.q ?? Math.SQRT1_2, 1e-3, 1e3);
  const gainDb = numArg(k, 'gainDb', design.gainDb ?? 0, -60, 60);
  const w0 = (2 * Math.PI * f) / rate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const A = 10 ** (gainDb / 40);
  const s = 2 * Math.sqrt(A) * alpha;
  let c: [number, number, number, number, number, number];
  switch (design.type) {
    case 'lowpass':
      c = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'highpass':
      c = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'bandpass':
      c = [alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'notch':
      c = [1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'lowshelf':
      c = [
        A * (A + 1 - (A - 1) * cos + s),
        2 * A * (A - 1 - (A + 1) * cos),
        A * (A + 1 - (A - 1) * cos - s),
        A + 1 + (A - 1) * cos + s,
        -2 * (A - 1 + (A + 1) * cos),
        A + 1 + (A - 1) * cos - s,
      ];
      break;
    case 'highshelf':
      c = [
        A * (A + 1 + (A - 1) * cos + s),
        -2 * A * (A - 1 + (A + 1) * cos),
        A * (A + 1 + (A - 1) * cos - s),
        A + 1 - (A - 1) * cos + s,
        2 * (A - 1 - (A + 1) * cos),
        A + 1 - (A - 1) * cos - s,
      ];
      break;
  }
  const a0 = c[3];
  return Float64Array.of(c[0] / a0, c[1] / a0, c[2] / a0, c[4] / a0, c[5] / a0);
}
