import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { NodeResult, PipelineNode } from '../../pipeline/PipelineNode.ts';
import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { emitAll } from '../emitAll.ts';
import { Resampler } from './Resampler.ts';
import { expectAudio } from './expectAudio.ts';

export const RESAMPLE_QUALITIES = ['low', 'medium', 'high'] as const;
export type ResampleQuality = (typeof RESAMPLE_QUALITIES)[number];

export interface ResampleConfig {
  targetSampleRate: number;
  quality: ResampleQuality;
}

/** Kernel half-width in zero crossings: longer kernels give a sharper cutoff at the cost of latency and CPU. */
const ZERO_CROSSINGS: Record<ResampleQuality, number> = { low: 8, medium: 16, high: 32 };

/**
 * Highest input rate accepted. The kernel spans input rate / output rate times more input when downsampling,
 * so an absurd input rate would make every output sample sum millions of inputs and hold them all.
 */
export const MAX_INPUT_SAMPLE_RATE = 1_000_000;

/**
 * Converts audio to `targetSampleRate` with a band-limited (windowed-sinc) filter. Streaming: output frames
 * lag the input by the kernel half-width (about 1 ms at medium quality) and the stream's tail arrives on flush.
 * Output timestamps are exact: each frame's timestamp is the time of its first sample.
 * A change of input rate or channel count flushes the old stream and starts a new one.
 */
export class ResampleNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'Resample';
  private readonly config: ResampleConfig;
  private readonly output: OutputAllocator;
  private resampler: Resampler | undefined;
  private startTimestamp = 0;

  constructor(config: ResampleConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: AudioFrameData): NodeResult<AudioFrameData> {
    const frame = expectAudio(this.name, input);
    if (frame.sampleRate > MAX_INPUT_SAMPLE_RATE) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `${this.name} accepts input up to ${MAX_INPUT_SAMPLE_RATE} Hz, got ${frame.sampleRate} Hz`);
    }
    if (frame.sampleRate === this.config.targetSampleRate && !this.resampler) return frame;
    const outputs: AudioFrameData[] = [];
    const current = this.resampler;
    if (current && (current.inRate !== frame.sampleRate || current.channels !== frame.channels)) {
      const tail = this.finish();
      if (tail) outputs.push(tail);
      if (frame.sampleRate === this.config.targetSampleRate) return emitAll([...outputs, frame]);
    }
    if (!this.resampler) {
      this.resampler = new Resampler(frame.sampleRate, this.config.targetSampleRate, frame.channels, ZERO_CROSSINGS[this.config.quality]);
      this.startTimestamp = frame.timestamp;
    }
    const resampler = this.resampler;
    const frames = frame.samples.length / frame.channels;
    // Upsampling multiplies the input: size the output before computing it (a 1 Hz input would ask for 192000x).
    const outputFrames = resampler.maxOutputFrames(frames);
    this.output.checkFrame(
      outputFrames * frame.channels * Float32Array.BYTES_PER_ELEMENT,
      `${outputFrames} resampled samples x ${frame.channels} channels`,
    );
    const first = resampler.outputFrames;
    const samples = resampler.push(frame.samples);
    if (samples.length > 0) outputs.push(this.frameAt(first, samples));
    return emitAll(outputs);
  }

  flush(): AudioFrameData | undefined {
    return this.finish();
  }

  private finish(): AudioFrameData | undefined {
    const resampler = this.resampler;
    if (!resampler) return undefined;
    this.resampler = undefined;
    const first = resampler.outputFrames;
    const samples = resampler.flush();
    return samples.length > 0 ? this.frameAt(first, samples, resampler.channels) : undefined;
  }

  private frameAt(firstFrame: number, samples: Float32Array, channels = this.resampler!.channels): AudioFrameData {
    const rate = this.config.targetSampleRate;
    return {
      kind: 'audio',
      sampleRate: rate,
      channels,
      timestamp: this.startTimestamp + (firstFrame / rate) * 1000,
      samples,
    };
  }
}

export const resampleDefinition = defineBuiltinNode<ResampleConfig>({
  name: 'Resample',
  description: 'Changes the sample rate of audio with a band-limited windowed-sinc filter.',
  category: 'audio',
  configSchema: {
    properties: {
      targetSampleRate: {
        type: 'integer',
        description: 'Output sample rate in Hz.',
        minimum: 8000,
        maximum: 192000,
        default: 16000,
      },
      quality: {
        type: 'string',
        description: 'Filter length: low (8 zero crossings), medium (16), high (32).',
        enum: RESAMPLE_QUALITIES,
        default: 'medium',
      },
    },
  },
  example: { targetSampleRate: 16000 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config, limits) => new ResampleNode(config, limits),
});
