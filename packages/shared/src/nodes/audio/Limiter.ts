import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { fromDecibels, toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { linkedPeak, smoothingCoefficient } from './smoothing.ts';

export interface LimiterConfig {
  ceilingDb: number;
  lookaheadMs: number;
  releaseMs: number;
}

export type LimitedAudioFrame = AudioFrameData & { readonly dynamics: { readonly gainReductionDb: number } };

/** One format's running state: the delay line and the sliding minimum of the gains it needs. */
class LimiterState {
  readonly sampleRate: number;
  readonly channels: number;
  private readonly delay: Float32Array;
  readonly lookahead: number;
  private readonly release: number;
  private readonly ceiling: number;
  /** Monotonic deque of (input index, required gain), required gains increasing from the front. */
  private readonly dequeIndex: number[] = [];
  private readonly dequeGain: number[] = [];
  private gain = 1;
  /** Sample frames taken in and given out so far. */
  taken = 0;
  given = 0;
  firstTimestamp = 0;

  constructor(sampleRate: number, channels: number, config: LimiterConfig) {
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.lookahead = Math.max(0, Math.round((config.lookaheadMs * sampleRate) / 1000));
    this.delay = new Float32Array((this.lookahead + 1) * channels);
    this.release = smoothingCoefficient(config.releaseMs, sampleRate);
    this.ceiling = fromDecibels(config.ceilingDb);
  }

  get held(): number {
    return this.taken - this.given;
  }

  /**
   * Takes `count` sample frames (zeros when `samples` is undefined: the tail at the end) and returns what comes
   * out `lookahead` frames later, gain applied, with the deepest reduction.
   */
  run(samples: Float32Array | undefined, count: number): { out: Float32Array; reductionDb: number } {
    const { channels, lookahead } = this;
    const slots = lookahead + 1;
    const produced = Math.max(0, Math.min(count, this.taken + count - lookahead - this.given));
    const out = new Float32Array(produced * channels);
    let written = 0;
    let lowest = 1;
    for (let n = 0; n < count; n++) {
      const index = this.taken++;
      const peak = samples === undefined ? 0 : linkedPeak(samples, channels, n);
      const required = peak > this.ceiling ? this.ceiling / peak : 1;
      while (this.dequeGain.length > 0 && this.dequeGain.at(-1)! >= required) {
        this.dequeGain.pop();
        this.dequeIndex.pop();
      }
      this.dequeGain.push(required);
      this.dequeIndex.push(index);
      while (this.dequeIndex[0]! < index - lookahead) {
        this.dequeGain.shift();
        this.dequeIndex.shift();
      }
      const slot = (index % slots) * channels;
      for (let c = 0; c < channels; c++) this.delay[slot + c] = samples === undefined ? 0 : samples[n * channels + c]!;
      const outIndex = index - lookahead;
      if (outIndex < this.given) continue;
      // Recover toward unity at the release rate, never above what the next `lookahead` samples need.
      this.gain = Math.min(this.dequeGain[0]!, 1 - this.release * (1 - this.gain));
      lowest = Math.min(lowest, this.gain);
      const from = (outIndex % slots) * channels;
      for (let c = 0; c < channels; c++) out[written * channels + c] = this.delay[from + c]! * this.gain;
      written++;
      this.given++;
    }
    return { out, reductionDb: toDecibels(lowest) };
  }
}

/**
 * A look-ahead peak limiter: no sample leaves above the ceiling. The gain comes down before a peak arrives
 * (the audio is delayed by `lookaheadMs`) and recovers at the release rate. The delay is held back, not lost:
 * the first frame comes out shorter, `flush` returns the tail, and the total length is unchanged.
 */
export class LimiterNode implements PipelineNode<AudioFrameData, LimitedAudioFrame> {
  readonly name = 'Limiter';
  private state: LimiterState | undefined;

  constructor(private readonly config: LimiterConfig) {}

  *process(input: AudioFrameData): Generator<LimitedAudioFrame> {
    const frame = expectAudio(this.name, input);
    if (this.state && (this.state.sampleRate !== frame.sampleRate || this.state.channels !== frame.channels)) {
      // A new format starts a new delay line: what the old one held comes out first.
      yield* this.flush();
    }
    if (!this.state) {
      this.state = new LimiterState(frame.sampleRate, frame.channels, this.config);
      this.state.firstTimestamp = frame.timestamp;
    }
    const result = this.emit(this.state, frame.samples, frame.samples.length / frame.channels);
    if (result) yield result;
  }

  *flush(): Generator<LimitedAudioFrame> {
    const state = this.state;
    this.state = undefined;
    if (!state || state.held === 0) return;
    // `lookahead` frames of silence push every held sample out.
    const result = this.emit(state, undefined, state.lookahead);
    if (result) yield result;
  }

  private emit(state: LimiterState, samples: Float32Array | undefined, count: number): LimitedAudioFrame | undefined {
    const timestamp = state.firstTimestamp + (state.given / state.sampleRate) * 1000;
    const { out, reductionDb } = state.run(samples, count);
    if (out.length === 0) return undefined;
    return {
      kind: 'audio',
      sampleRate: state.sampleRate,
      channels: state.channels,
      timestamp,
      samples: out,
      dynamics: { gainReductionDb: reductionDb },
    };
  }
}

export const limiterDefinition = defineBuiltinNode<LimiterConfig>({
  name: 'Limiter',
  description: 'Keeps every sample under a ceiling (look-ahead peak limiter); delays audio by the look-ahead.',
  category: 'audio',
  configSchema: {
    properties: {
      ceilingDb: { type: 'number', description: 'Highest peak allowed out, in dBFS.', minimum: -40, maximum: 0, default: -1 },
      lookaheadMs: { type: 'number', description: 'How far ahead peaks are seen (and the added latency).', minimum: 0, maximum: 50, default: 5 },
      releaseMs: { type: 'number', description: 'Time for the gain to recover after a peak.', minimum: 1, maximum: 5000, default: 80 },
    },
  },
  example: { ceilingDb: -3, lookaheadMs: 5 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new LimiterNode(config),
});
