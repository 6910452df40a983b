import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { BIQUAD_TYPES, BiquadCascade, designBiquad, type BiquadType } from './biquad.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';

export interface BiquadFilterConfig {
  type: BiquadType;
  frequencyHz: number;
  q: number;
  gainDb: number;
  /** Identical sections in series: each adds 12 dB/octave to a low/high-pass slope. */
  sections: number;
}

/** A low/high/band-pass, notch, shelf or peaking filter, with state carried across frames per channel. */
export class BiquadFilterNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'BiquadFilter';
  private readonly filters: FormatBound<BiquadCascade>;

  constructor(private readonly config: BiquadFilterConfig) {
    this.filters = new FormatBound((sampleRate, channels) => {
      const section = designBiquad(config.type, config.frequencyHz, sampleRate, config.q, config.gainDb);
      return new BiquadCascade(
        Array.from({ length: config.sections }, () => section),
        channels,
      );
    });
  }

  process(input: AudioFrameData): AudioFrameData {
    const frame = expectAudio(this.name, input);
    if (this.config.frequencyHz >= frame.sampleRate / 2) {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `${this.name}: frequencyHz ${this.config.frequencyHz} is at or above the Nyquist frequency of this ${frame.sampleRate} Hz audio (${frame.sampleRate / 2} Hz); lower it or resample first`,
      );
    }
    const samples = new Float32Array(frame.samples.length);
    this.filters.for(frame).process(frame.samples, samples);
    return { ...frame, samples };
  }
}

export const biquadFilterDefinition = defineBuiltinNode<BiquadFilterConfig>({
  name: 'BiquadFilter',
  description: 'Filters audio: low-pass, high-pass, band-pass, notch, low/high shelf or peaking EQ (cascadable biquads).',
  category: 'audio',
  configSchema: {
    properties: {
      type: { type: 'string', description: 'Filter shape.', enum: BIQUAD_TYPES, default: 'highpass' },
      frequencyHz: { type: 'number', description: 'Cutoff, centre or shelf frequency in Hz.', minimum: 1, maximum: 96_000, default: 100 },
      q: { type: 'number', description: 'Quality factor: bandwidth (0.7071 is Butterworth).', minimum: 0.1, maximum: 30, default: 0.7071 },
      gainDb: { type: 'number', description: 'Gain of shelf and peaking filters, in dB.', minimum: -40, maximum: 40, default: 0 },
      sections: { type: 'integer', description: 'Identical sections in series (steeper slopes).', minimum: 1, maximum: 8, default: 1 },
    },
  },
  example: { type: 'lowpass', frequencyHz: 3400, sections: 2 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new BiquadFilterNode(config),
});
