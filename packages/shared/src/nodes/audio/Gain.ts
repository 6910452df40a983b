import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { fromDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';

export interface GainConfig {
  gainDb: number;
}

/** Scales audio by a gain in decibels. Float samples may exceed ±1 afterwards: clipping is the sink's choice. */
export class GainNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'Gain';
  private readonly factor: number;

  constructor(config: GainConfig) {
    this.factor = fromDecibels(config.gainDb);
  }

  process(input: AudioFrameData): AudioFrameData {
    const frame = expectAudio(this.name, input);
    const samples = new Float32Array(frame.samples.length);
    for (let i = 0; i < samples.length; i++) samples[i] = frame.samples[i]! * this.factor;
    return { ...frame, samples };
  }
}

export const gainDefinition = defineBuiltinNode<GainConfig>({
  name: 'Gain',
  description: 'Changes the level of audio by a gain in dB.',
  category: 'audio',
  configSchema: {
    properties: {
      gainDb: { type: 'number', description: 'Gain in decibels (negative attenuates).', minimum: -120, maximum: 60, default: 0 },
    },
  },
  example: { gainDb: -6 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new GainNode(config),
});
