import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import { audioFrameDuration } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { measureLevels } from './measureLevels.ts';

export interface SilenceDetectorConfig {
  thresholdDb: number;
  minSilenceMs: number;
}

export interface SilenceInfo {
  /** True once the audio has stayed below the threshold for `minSilenceMs`. */
  silent: boolean;
  rmsDb: number;
  /** How long the audio has been below the threshold, up to the end of this frame. */
  silentForMs: number;
}

export type SilenceAudioFrame = AudioFrameData & { readonly silence: SilenceInfo };

/**
 * Passes audio through annotated with `silence`. A short pause does not count: silence is declared only
 * after `minSilenceMs` below the threshold, so consumers do not flap between states between words.
 */
export class SilenceDetectorNode implements PipelineNode<AudioFrameData, SilenceAudioFrame> {
  readonly name = 'SilenceDetector';
  private readonly config: SilenceDetectorConfig;
  private silentForMs = 0;

  constructor(config: SilenceDetectorConfig) {
    this.config = config;
  }

  process(input: AudioFrameData): SilenceAudioFrame {
    const frame = expectAudio(this.name, input);
    const rmsDb = toDecibels(measureLevels(frame.samples, frame.channels).rms);
    this.silentForMs = rmsDb < this.config.thresholdDb ? this.silentForMs + audioFrameDuration(frame) : 0;
    const silent = this.silentForMs > 0 && this.silentForMs >= this.config.minSilenceMs;
    return { ...frame, silence: { silent, rmsDb, silentForMs: this.silentForMs } };
  }
}

export const silenceDetectorDefinition = defineBuiltinNode<SilenceDetectorConfig>({
  name: 'SilenceDetector',
  description: 'Flags audio that has stayed below a level for a minimum time, as `silence` on each frame.',
  category: 'audio',
  configSchema: {
    properties: {
      thresholdDb: { type: 'number', description: 'RMS level (dBFS) below which audio is silent.', minimum: -120, maximum: 0, default: -50 },
      minSilenceMs: {
        type: 'number',
        description: 'Time below the threshold before silence is declared.',
        minimum: 0,
        maximum: 600_000,
        default: 300,
      },
    },
  },
  example: { thresholdDb: -50, minSilenceMs: 500 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new SilenceDetectorNode(config),
});
