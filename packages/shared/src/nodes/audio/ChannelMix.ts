import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { expectAudio } from './expectAudio.ts';

export interface ChannelMixConfig {
  channels: number;
}

/**
 * Changes the channel count: any layout down to mono by averaging (so a full-scale signal cannot clip),
 * mono up to stereo by copying. Other conversions have no single right answer and are rejected.
 */
export class ChannelMixNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'ChannelMix';
  private readonly channels: number;
  private readonly output: OutputAllocator;

  constructor(config: ChannelMixConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.channels = config.channels;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: AudioFrameData): AudioFrameData {
    const frame = expectAudio(this.name, input);
    const from = frame.channels;
    const to = this.channels;
    if (from === to) return frame;
    const frames = frame.samples.length / from;
    const samples = this.output.frameSamples(frames * to, `${frames} samples x ${to} channels`);
    if (to === 1) {
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < from; c++) sum += frame.samples[i * from + c]!;
        samples[i] = sum / from;
      }
    } else if (from === 1) {
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < to; c++) samples[i * to + c] = frame.samples[i]!;
      }
    } else {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `ChannelMix cannot turn ${from} channels into ${to}`);
    }
    return { ...frame, channels: to, samples };
  }
}

export const channelMixDefinition = defineBuiltinNode<ChannelMixConfig>({
  name: 'ChannelMix',
  description: 'Mixes audio down to mono (average of channels) or up from mono to stereo (copy).',
  category: 'audio',
  configSchema: {
    properties: {
      channels: { type: 'integer', description: 'Output channel count.', minimum: 1, maximum: 2, default: 1 },
    },
  },
  example: { channels: 1 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config, limits) => new ChannelMixNode(config, limits),
});
