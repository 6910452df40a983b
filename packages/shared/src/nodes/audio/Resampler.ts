/** Kernel samples per zero crossing; linear interpolation between them keeps the error far below 16-bit noise. */
const TABLE_RESOLUTION = 512;
/** Kaiser beta: about 80 dB stopband, enough that aliasing stays under what speech and music codecs keep. */
const KAISER_BETA = 8;
/** Cutoff just under Nyquist so the transition band does not fold back (fraction of the lower Nyquist). */
const ROLLOFF = 0.95;

/**
 * Streaming band-limited resampler (Kaiser-windowed sinc). Output sample k sits at input time
 * k * inRate / outRate, so timing never drifts. A sample is produced once the kernel's right half of input
 * has arrived, so early pushes return slightly fewer samples; `flush()` returns the rest, and in total a stream
 * of n input frames yields round(n * outRate / inRate) output frames.
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  readonly channels: number;
  private readonly cutoff: number;
  private readonly zeroCrossings: number;
  /** Input frames the kernel reaches on each side of an output sample. */
  private readonly halfWidth: number;
  private readonly table: Float64Array;
  /** Interleaved input not yet discarded; `bufferStart` is the absolute index of its first frame. */
  private buffer = new Float32Array(0);
  private bufferStart = 0;
  private received = 0;
  private produced = 0;

  constructor(inRate: number, outRate: number, channels: number, zeroCrossings = 16) {
    this.inRate = inRate;
    this.outRate = outRate;
    this.channels = channels;
    this.zeroCrossings = zeroCrossings;
    this.cutoff = Math.min(1, outRate / inRate) * ROLLOFF;
    this.halfWidth = Math.ceil(zeroCrossings / this.cutoff);
    this.table = buildKernelTable(zeroCrossings);
  }

  /** Appends interleaved input and returns the interleaved output now computable. */
  push(samples: Float32Array): Float32Array {
    const merged = new Float32Array(this.buffer.length + samples.length);
    merged.set(this.buffer);
    merged.set(samples, this.buffer.length);
    this.buffer = merged;
    this.received += samples.length / this.channels;
    const output = this.render((t) => Math.floor(t) + this.halfWidth < this.received, Infinity);
    this.discardConsumed();
    return output;
  }

  /** Returns the remaining output, treating input after the end as silence. */
  flush(): Float32Array {
    const total = Math.round((this.received * this.outRate) / this.inRate);
    const output = this.render(() => true, total - this.produced);
    this.discardConsumed();
    return output;
  }

  /** Input frames an output sample waits for beyond its own position (the kernel's right half). */
  get lookahead(): number {
    return this.halfWidth;
  }

  /** Output frames produced so far. */
  get outputFrames(): number {
    return this.produced;
  }

  /** At most how many frames `push` of `inputFrames` more input (or `flush` after it) can return. */
  maxOutputFrames(inputFrames: number): number {
    return Math.ceil(((this.received + inputFrames) * this.outRate) / this.inRate) - this.produced + 1;
  }

  private render(ready: (t: number) => boolean, limit: number): Float32Array {
    const values: number[] = [];
    let count = 0;
    while (count < limit) {
      const t = (this.produced * this.inRate) / this.outRate;
      if (!ready(t)) break;
      for (let channel = 0; channel < this.channels; channel++) values.push(this.sampleAt(t, channel));
      this.produced++;
      count++;
    }
    return Float32Array.from(values);
  }

  private sampleAt(t: number, channel: number): number {
    const base = Math.floor(t);
    const first = Math.max(base - this.halfWidth + 1, 0);
    const last = Math.min(base + this.halfWidth, this.received - 1);
    const scale = this.cutoff * TABLE_RESOLUTION;
    const limit = this.zeroCrossings * TABLE_RESOLUTION;
    let sum = 0;
    for (let j = first; j <= last; j++) {
      const position = Math.abs(t - j) * scale;
      if (position >= limit) continue;
      const index = Math.floor(position);
      const fraction = position - index;
      const weight = this.table[index]! + (this.table[index + 1]! - this.table[index]!) * fraction;
      sum += this.buffer[(j - this.bufferStart) * this.channels + channel]! * weight;
    }
    return sum * this.cutoff;
  }

  /** Drops input that no future output sample can reach. */
  private discardConsumed(): void {
    const nextT = (this.produced * this.inRate) / this.outRate;
    const keepFrom = Math.min(Math.max(Math.floor(nextT) - this.halfWidth + 1, 0), this.received);
    const drop = keepFrom - this.bufferStart;
    if (drop <= 0) return;
    this.buffer = this.buffer.slice(drop * this.channels);
    this.bufferStart = keepFrom;
  }
}

/** Resamples a whole interleaved buffer at once; the result has exactly round(n * outRate / inRate) frames. */
export function resampleBuffer(samples: Float32Array, channels: number, inRate: number, outRate: number): Float32Array {
  if (inRate === outRate) return samples.slice();
  const resampler = new Resampler(inRate, outRate, channels);
  const head = resampler.push(samples);
  const tail = resampler.flush();
  const output = new Float32Array(head.length + tail.length);
  output.set(head);
  output.set(tail, head.length);
  return output;
}

/** sinc(u) * kaiser(u / zeroCrossings) for u in [0, zeroCrossings], TABLE_RESOLUTION points per unit. */
function buildKernelTable(zeroCrossings: number): Float64Array {
  const size = zeroCrossings * TABLE_RESOLUTION + 2;
  const table = new Float64Array(size);
  const norm = besselI0(KAISER_BETA);
  for (let i = 0; i < size; i++) {
    const u = i / TABLE_RESOLUTION;
    if (u >= zeroCrossings) continue;
    const x = u / zeroCrossings;
    const window = besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) / norm;
    const sinc = u === 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
    table[i] = sinc * window;
  }
  return table;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for beta < 20). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 50; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}
