import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { fromDecibels, toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';
import { linkedPeak, smoothingCoefficient } from './smoothing.ts';

export interface NoiseGateConfig {
  thresholdDb: number;
  hysteresisDb: number;
  rangeDb: number;
  attackMs: number;
  holdMs: number;
  releaseMs: number;
}

export type GatedAudioFrame = AudioFrameData & { readonly gate: { readonly open: boolean } };

interface GateState {
  readonly attack: number;
  readonly release: number;
  readonly holdSamples: number;
  open: boolean;
  /** Samples since the level last reached the threshold while open. */
  quietFor: number;
  gain: number;
}

/**
 * Silences (or lowers by `rangeDb`) audio between sounds: opens above the threshold, closes once the level has
 * stayed below threshold minus hysteresis for `holdMs`, with smooth attack and release so it does not click.
 */
export class NoiseGateNode implements PipelineNode<AudioFrameData, GatedAudioFrame> {
  readonly name = 'NoiseGate';
  private readonly states: FormatBound<GateState>;
  private readonly openAbove: number;
  private readonly closeBelow: number;
  private readonly closedGain: number;

  constructor(config: NoiseGateConfig) {
    this.openAbove = config.thresholdDb;
    this.closeBelow = config.thresholdDb - config.hysteresisDb;
    this.closedGain = fromDecibels(config.rangeDb);
    this.states = new FormatBound((sampleRate) => ({
      attack: smoothingCoefficient(config.attackMs, sampleRate),
      release: smoothingCoefficient(config.releaseMs, sampleRate),
      holdSamples: Math.round((config.holdMs * sampleRate) / 1000),
      open: false,
      quietFor: 0,
      gain: this.closedGain,
    }));
  }

  process(input: AudioFrameData): GatedAudioFrame {
    const frame = expectAudio(this.name, input);
    const state = this.states.for(frame);
    const { channels } = frame;
    const samples = new Float32Array(frame.samples.length);
    for (let n = 0; n < samples.length / channels; n++) {
      const levelDb = toDecibels(linkedPeak(frame.samples, channels, n));
      if (levelDb >= this.openAbove) {
        state.open = true;
        state.quietFor = 0;
      } else if (state.open && levelDb < this.closeBelow && ++state.quietFor > state.holdSamples) {
        state.open = false;
      }
      const target = state.open ? 1 : this.closedGain;
      const k = target > state.gain ? state.attack : state.release;
      state.gain = target + k * (state.gain - target);
      for (let c = 0; c < channels; c++) samples[n * channels + c] = frame.samples[n * channels + c]! * state.gain;
    }
    return { ...frame, samples, gate: { open: state.open } };
  }
}

export const noiseGateDefinition = defineBuiltinNode<NoiseGateConfig>({
  name: 'NoiseGate',
  description: 'Mutes or lowers background noise between sounds: opens above a threshold, closes after a hold time.',
  category: 'audio',
  configSchema: {
    properties: {
      thresholdDb: { type: 'number', description: 'Peak level (dBFS) that opens the gate.', minimum: -100, maximum: 0, default: -40 },
      hysteresisDb: {
        type: 'number',
        description: 'How far below the threshold the level must fall to close it.',
        minimum: 0,
        maximum: 30,
        default: 6,
      },
      rangeDb: { type: 'number', description: 'Gain while closed, in dB (-120 is silence).', minimum: -120, maximum: 0, default: -60 },
      attackMs: { type: 'number', description: 'Time to open.', minimum: 0, maximum: 500, default: 1 },
      holdMs: { type: 'number', description: 'Time below the close level before closing.', minimum: 0, maximum: 5000, default: 100 },
      releaseMs: { type: 'number', description: 'Time to close.', minimum: 0, maximum: 5000, default: 50 },
    },
  },
  example: { thresholdDb: -45, rangeDb: -30, holdMs: 200 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new NoiseGateNode(config),
});
