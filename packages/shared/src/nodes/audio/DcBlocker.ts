import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';

export interface DcBlockerConfig {
  cutoffHz: number;
}

/** Per channel: last input and output of y[n] = x[n] - x[n-1] + r y[n-1]. */
interface DcState {
  readonly r: number;
  readonly lastIn: Float64Array;
  readonly lastOut: Float64Array;
}

/**
 * Removes a constant offset (DC) and sub-audio drift with a one-pole high-pass: cheap, no latency, and flat
 * above a few times its cutoff, so speech and music pass unchanged.
 */
export class DcBlockerNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'DcBlocker';
  private readonly states: FormatBound<DcState>;

  constructor(config: DcBlockerConfig) {
    this.states = new FormatBound((sampleRate, channels) => ({
      r: Math.exp((-2 * Math.PI * config.cutoffHz) / sampleRate),
      lastIn: new Float64Array(channels),
      lastOut: new Float64Array(channels),
    }));
  }

  process(input: AudioFrameData): AudioFrameData {
    const frame = expectAudio(this.name, input);
    const { r, lastIn, lastOut } = this.states.for(frame);
    const samples = new Float32Array(frame.samples.length);
    for (let i = 0; i < samples.length; i++) {
      const channel = i % frame.channels;
      const x = frame.samples[i]!;
      const y = x - lastIn[channel]! + r * lastOut[channel]!;
      lastIn[channel] = x;
      lastOut[channel] = y;
      samples[i] = y;
    }
    return { ...frame, samples };
  }
}

export const dcBlockerDefinition = defineBuiltinNode<DcBlockerConfig>({
  name: 'DcBlocker',
  description: 'Removes DC offset and sub-audio drift (one-pole high-pass, no latency).',
  category: 'audio',
  configSchema: {
    properties: {
      cutoffHz: {
        type: 'number',
        description: 'Corner frequency in Hz; content well above it passes unchanged.',
        minimum: 0.1,
        maximum: 200,
        default: 10,
      },
    },
  },
  example: { cutoffHz: 20 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new DcBlockerNode(config),
});
