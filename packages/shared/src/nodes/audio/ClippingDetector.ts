import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectAudio } from './expectAudio.ts';

export interface ClippingDetectorConfig {
  threshold: number;
  minClippedSamples: number;
}

export interface ClippingInfo {
  clipped: boolean;
  /** Samples (over all channels) at or above the threshold in magnitude. */
  clippedSamples: number;
  /** `clippedSamples` over all samples of the frame. */
  ratio: number;
  peak: number;
}

export type ClippingAudioFrame = AudioFrameData & { readonly clipping: ClippingInfo };

/** Passes audio through annotated with `clipping`: how many samples reach full scale. */
export class ClippingDetectorNode implements PipelineNode<AudioFrameData, ClippingAudioFrame> {
  readonly name = 'ClippingDetector';
  private readonly config: ClippingDetectorConfig;

  constructor(config: ClippingDetectorConfig) {
    this.config = config;
  }

  process(input: AudioFrameData): ClippingAudioFrame {
    const frame = expectAudio(this.name, input);
    let clippedSamples = 0;
    let peak = 0;
    for (const value of frame.samples) {
      const magnitude = Math.abs(value);
      if (magnitude >= this.config.threshold) clippedSamples++;
      if (magnitude > peak) peak = magnitude;
    }
    const total = frame.samples.length;
    return {
      ...frame,
      clipping: {
        clipped: clippedSamples >= this.config.minClippedSamples,
        clippedSamples,
        ratio: total > 0 ? clippedSamples / total : 0,
        peak,
      },
    };
  }
}

export const clippingDetectorDefinition = defineBuiltinNode<ClippingDetectorConfig>({
  name: 'ClippingDetector',
  description: 'Counts samples at full scale and attaches `clipping` to each audio frame.',
  category: 'audio',
  configSchema: {
    properties: {
      threshold: {
        type: 'number',
        description: 'Magnitude counted as clipped (1.0 = full scale; slightly less catches converters that stop short).',
        minimum: 0.5,
        maximum: 2,
        default: 0.999,
      },
      minClippedSamples: {
        type: 'integer',
        description: 'Clipped samples a frame needs to be flagged.',
        minimum: 1,
        maximum: 1_000_000,
        default: 1,
      },
    },
  },
  example: { threshold: 0.99, minClippedSamples: 3 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new ClippingDetectorNode(config),
});
