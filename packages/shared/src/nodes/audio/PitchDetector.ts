import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';
import { monoMix } from './monoMix.ts';

export interface PitchDetectorConfig {
  minHz: number;
  maxHz: number;
  threshold: number;
  minLevelDb: number;
}

export interface PitchInfo {
  /** Fundamental frequency of the last `windowMs` of audio, or null when nothing periodic is heard. */
  readonly frequencyHz: number | null;
  /** 0..1: how periodic the window is (1 - YIN's normalised difference at the chosen lag). */
  readonly confidence: number;
}

export type PitchAudioFrame = AudioFrameData & { readonly pitch: PitchInfo };

/** Pitch is analysed near this rate: enough for fundamentals up to a few kHz, and ~9x cheaper than 48 kHz. */
const ANALYSIS_RATE = 16_000;

class PitchState {
  /** Input samples averaged per analysis sample (a box low-pass before decimating). */
  readonly factor: number;
  readonly rate: number;
  readonly window: Float64Array;
  readonly minLag: number;
  readonly maxLag: number;
  /** Analysis samples seen, and the decimator's partial sum. */
  seen = 0;
  private partial = 0;
  private partialCount = 0;

  constructor(sampleRate: number, config: PitchDetectorConfig) {
    this.factor = Math.max(1, Math.floor(sampleRate / ANALYSIS_RATE));
    this.rate = sampleRate / this.factor;
    this.minLag = Math.max(2, Math.floor(this.rate / config.maxHz));
    this.maxLag = Math.ceil(this.rate / config.minHz);
    // Two periods of the lowest pitch: YIN compares each lag over a window as long as the largest lag.
    this.window = new Float64Array(2 * this.maxLag);
  }

  push(mono: Float32Array): void {
    for (let i = 0; i < mono.length; i++) {
      this.partial += mono[i]!;
      if (++this.partialCount < this.factor) continue;
      this.window.copyWithin(0, 1);
      this.window[this.window.length - 1] = this.partial / this.factor;
      this.partial = 0;
      this.partialCount = 0;
      this.seen++;
    }
  }
}

/**
 * Estimates the fundamental frequency (YIN: cumulative mean normalised difference, first dip under the
 * threshold, parabolic interpolation) over the last two periods of the lowest pitch, after each frame: a voice,
 * an instrument, a hum. Harmonics do not fool it into octave errors the way plain autocorrelation is fooled.
 */
export class PitchDetectorNode implements PipelineNode<AudioFrameData, PitchAudioFrame> {
  readonly name = 'PitchDetector';
  private readonly states: FormatBound<PitchState>;

  constructor(private readonly config: PitchDetectorConfig) {
    this.states = new FormatBound((sampleRate) => new PitchState(sampleRate, config));
  }

  process(input: AudioFrameData): PitchAudioFrame {
    const frame = expectAudio(this.name, input);
    const state = this.states.for(frame);
    state.push(monoMix(frame));
    return { ...frame, pitch: state.seen >= state.window.length ? this.estimate(state) : { frequencyHz: null, confidence: 0 } };
  }

  private estimate(state: PitchState): PitchInfo {
    const { window, minLag, maxLag, rate } = state;
    const span = window.length - maxLag;
    let energy = 0;
    for (let i = 0; i < window.length; i++) energy += window[i]! ** 2;
    if (toDecibels(Math.sqrt(energy / window.length)) < this.config.minLevelDb) return { frequencyHz: null, confidence: 0 };
    // d'(tau): the squared difference at each lag, normalised by its running mean so lag 0 is not a trivial dip.
    const normalised = new Float64Array(maxLag + 1);
    normalised[0] = 1;
    let running = 0;
    for (let lag = 1; lag <= maxLag; lag++) {
      let sum = 0;
      for (let i = 0; i < span; i++) {
        const d = window[i]! - window[i + lag]!;
        sum += d * d;
      }
      running += sum;
      normalised[lag] = running > 0 ? (sum * lag) / running : 1;
    }
    let lag = -1;
    for (let tau = minLag; tau <= maxLag; tau++) {
      if (normalised[tau]! < this.config.threshold) {
        while (tau + 1 <= maxLag && normalised[tau + 1]! < normalised[tau]!) tau++;
        lag = tau;
        break;
      }
    }
    if (lag < 0) return { frequencyHz: null, confidence: 0 };
    const before = normalised[lag - 1]!;
    const at = normalised[lag]!;
    const after = lag + 1 <= maxLag ? normalised[lag + 1]! : at;
    const curvature = before - 2 * at + after;
    const refined = curvature > 0 ? lag + (before - after) / (2 * curvature) : lag;
    return { frequencyHz: rate / refined, confidence: Math.max(0, Math.min(1, 1 - at)) };
  }
}

export const pitchDetectorDefinition = defineBuiltinNode<PitchDetectorConfig>({
  name: 'PitchDetector',
  description: 'Estimates the fundamental frequency (YIN) of voice or instruments, as `pitch` on each frame.',
  category: 'audio',
  configSchema: {
    properties: {
      minHz: {
        type: 'number',
        description: 'Lowest pitch looked for (sets the analysis window: two periods).',
        minimum: 30,
        maximum: 1000,
        default: 70,
      },
      maxHz: { type: 'number', description: 'Highest pitch looked for.', minimum: 100, maximum: 4000, default: 1000 },
      threshold: {
        type: 'number',
        description: 'YIN threshold: lower is stricter about what counts as periodic.',
        minimum: 0.01,
        maximum: 0.5,
        default: 0.15,
      },
      minLevelDb: { type: 'number', description: 'Windows quieter than this (dBFS RMS) report no pitch.', minimum: -100, maximum: 0, default: -50 },
    },
  },
  example: { minHz: 80, maxHz: 400 },
  refine: (config) =>
    config.minHz < config.maxHz ? [] : [{ field: 'minHz', message: `must be below maxHz (${config.maxHz}), got ${config.minHz}` }],
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new PitchDetectorNode(config),
});
