/** Second-order filter shapes (the Audio EQ Cookbook's set). */
export type BiquadType = 'lowpass' | 'highpass' | 'bandpass' | 'notch' | 'lowshelf' | 'highshelf' | 'peaking';
export const BIQUAD_TYPES: readonly BiquadType[] = ['lowpass', 'highpass', 'bandpass', 'notch', 'lowshelf', 'highshelf', 'peaking'];

/** Coefficients normalised so a0 = 1: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
export interface BiquadCoefficients {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/**
 * Designs one section by the bilinear transform of the analog prototype (R. Bristow-Johnson's cookbook
 * formulas). `q` sets the bandwidth (0.7071 is Butterworth for low/high-pass); `gainDb` applies to shelves and
 * peaking only. The caller keeps `frequencyHz` below Nyquist.
 */
export function designBiquad(type: BiquadType, frequencyHz: number, sampleRate: number, q: number, gainDb = 0): BiquadCoefficients {
  const w0 = (2 * Math.PI * frequencyHz) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a = 10 ** (gainDb / 40);
  let b0: number;
  let b1: number;
  let b2: number;
  let a0: number;
  let a1: number;
  let a2: number;
  switch (type) {
    case 'lowpass':
      [b0, b1, b2, a0, a1, a2] = [(1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'highpass':
      [b0, b1, b2, a0, a1, a2] = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'bandpass':
      [b0, b1, b2, a0, a1, a2] = [alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'notch':
      [b0, b1, b2, a0, a1, a2] = [1, -2 * cos, 1, 1 + alpha, -2 * cos, 1 - alpha];
      break;
    case 'peaking':
      [b0, b1, b2, a0, a1, a2] = [1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a];
      break;
    case 'lowshelf': {
      const s = 2 * Math.sqrt(a) * alpha;
      b0 = a * (a + 1 - (a - 1) * cos + s);
      b1 = 2 * a * (a - 1 - (a + 1) * cos);
      b2 = a * (a + 1 - (a - 1) * cos - s);
      a0 = a + 1 + (a - 1) * cos + s;
      a1 = -2 * (a - 1 + (a + 1) * cos);
      a2 = a + 1 + (a - 1) * cos - s;
      break;
    }
    case 'highshelf': {
      const s = 2 * Math.sqrt(a) * alpha;
      b0 = a * (a + 1 + (a - 1) * cos + s);
      b1 = -2 * a * (a - 1 + (a + 1) * cos);
      b2 = a * (a + 1 + (a - 1) * cos - s);
      a0 = a + 1 - (a - 1) * cos + s;
      a1 = 2 * (a - 1 - (a + 1) * cos);
      a2 = a + 1 - (a - 1) * cos - s;
      break;
    }
  }
  return { b0: b0 / a0, b1: b1 / a0, b2: b2 / a0, a1: a1 / a0, a2: a2 / a0 };
}

/**
 * Cascaded biquad sections run over interleaved audio, each channel with its own state (transposed direct form
 * II: two state values per section and channel, in float64 so long runs do not drift).
 */
export class BiquadCascade {
  private readonly sections: readonly BiquadCoefficients[];
  private readonly channels: number;
  private readonly state: Float64Array;

  constructor(sections: readonly BiquadCoefficients[], channels: number) {
    this.sections = sections;
    this.channels = channels;
    this.state = new Float64Array(sections.length * channels * 2);
  }

  /** Filters `input` (interleaved) into `output` (may be the same array). */
  process(input: Float32Array, output: Float32Array): void {
    const { channels, state } = this;
    for (let i = 0; i < input.length; i++) {
      const channel = i % channels;
      let x = input[i]!;
      for (let s = 0; s < this.sections.length; s++) {
        const c = this.sections[s]!;
        const at = (s * channels + channel) * 2;
        const y = c.b0 * x + state[at]!;
        state[at] = c.b1 * x - c.a1 * y + state[at + 1]!;
        state[at + 1] = c.b2 * x - c.a2 * y;
        x = y;
      }
      output[i] = x;
    }
  }
}
