import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { NodeResult, PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { emitAll } from '../emitAll.ts';
import { expectAudio } from './expectAudio.ts';

export interface AudioChunkerConfig {
  chunkSize: number;
  padFinal: boolean;
}

/**
 * Re-blocks audio into frames of exactly `chunkSize` samples per channel (what a codec or a model wants).
 * The remainder is emitted on flush, zero-padded to full size if `padFinal`. A change of sample rate or
 * channel count emits the remainder first, so no chunk mixes formats.
 */
export class AudioChunkerNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'AudioChunker';
  private readonly config: AudioChunkerConfig;
  private readonly output: OutputAllocator;
  private pending: Float32Array = new Float32Array(0);
  private pendingTimestamp = 0;
  private format: { sampleRate: number; channels: number } | undefined;

  constructor(config: AudioChunkerConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: AudioFrameData): NodeResult<AudioFrameData> {
    const frame = expectAudio(this.name, input);
    // Before anything is held: a chunk the host could not send would only pile up input.
    this.output.checkFrame(
      this.config.chunkSize * frame.channels * Float32Array.BYTES_PER_ELEMENT,
      `a chunk of ${this.config.chunkSize} samples x ${frame.channels} channels`,
    );
    const outputs: AudioFrameData[] = [];
    if (this.format && (this.format.sampleRate !== frame.sampleRate || this.format.channels !== frame.channels)) {
      const rest = this.flush();
      if (rest) outputs.push(rest);
    }
    const { sampleRate, channels } = frame;
    this.format = { sampleRate, channels };
    if (this.pending.length === 0) this.pendingTimestamp = frame.timestamp;
    const all = new Float32Array(this.pending.length + frame.samples.length);
    all.set(this.pending);
    all.set(frame.samples, this.pending.length);
    const chunkLength = this.config.chunkSize * channels;
    let offset = 0;
    for (; offset + chunkLength <= all.length; offset += chunkLength) {
      const timestamp = this.pendingTimestamp + (offset / channels / sampleRate) * 1000;
      outputs.push({ kind: 'audio', sampleRate, channels, timestamp, samples: all.slice(offset, offset + chunkLength) });
    }
    this.pendingTimestamp += (offset / channels / sampleRate) * 1000;
    this.pending = all.slice(offset);
    return emitAll(outputs);
  }

  flush(): AudioFrameData | undefined {
    const format = this.format;
    if (!format || this.pending.length === 0) return undefined;
    const size = this.config.padFinal ? this.config.chunkSize * format.channels : this.pending.length;
    const samples = new Float32Array(size);
    samples.set(this.pending);
    this.pending = new Float32Array(0);
    return { kind: 'audio', ...format, timestamp: this.pendingTimestamp, samples };
  }
}

export const audioChunkerDefinition = defineBuiltinNode<AudioChunkerConfig>({
  name: 'AudioChunker',
  description: 'Re-blocks audio into frames of a fixed number of samples per channel; the remainder comes out at the end.',
  category: 'audio',
  configSchema: {
    properties: {
      chunkSize: {
        type: 'integer',
        description: 'Samples per channel in each output frame.',
        minimum: 1,
        maximum: 1_000_000,
        default: 1024,
      },
      padFinal: {
        type: 'boolean',
        description: 'Zero-pad the last, shorter chunk to full size.',
        default: false,
      },
    },
  },
  example: { chunkSize: 480 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config, limits) => new AudioChunkerNode(config, limits),
});
