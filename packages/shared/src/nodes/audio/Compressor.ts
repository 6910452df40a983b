import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { DB_FLOOR, fromDecibels, toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';
import { linkedPeak, smoothingCoefficient } from './smoothing.ts';

export interface CompressorConfig {
  thresholdDb: number;
  ratio: number;
  kneeDb: number;
  attackMs: number;
  releaseMs: number;
  makeupDb: number;
}

export type CompressedAudioFrame = AudioFrameData & { readonly dynamics: { readonly gainReductionDb: number } };

interface Envelope {
  readonly attack: number;
  readonly release: number;
  /** Current gain reduction in dB (<= 0). */
  reductionDb: number;
}

/**
 * Reduces the level above a threshold by a ratio (soft knee), with attack and release smoothing of the gain and
 * the channels linked so the stereo image holds. Each frame reports its largest gain reduction as `dynamics`.
 */
export class CompressorNode implements PipelineNode<AudioFrameData, CompressedAudioFrame> {
  readonly name = 'Compressor';
  private readonly envelopes: FormatBound<Envelope>;
  private readonly makeup: number;

  constructor(private readonly config: CompressorConfig) {
    this.makeup = fromDecibels(config.makeupDb);
    this.envelopes = new FormatBound((sampleRate) => ({
      attack: smoothingCoefficient(config.attackMs, sampleRate),
      release: smoothingCoefficient(config.releaseMs, sampleRate),
      reductionDb: 0,
    }));
  }

  process(input: AudioFrameData): CompressedAudioFrame {
    const frame = expectAudio(this.name, input);
    const envelope = this.envelopes.for(frame);
    const { channels } = frame;
    const samples = new Float32Array(frame.samples.length);
    let deepest = 0;
    for (let n = 0; n < samples.length / channels; n++) {
      const target = this.reductionAt(toDecibels(linkedPeak(frame.samples, channels, n)));
      // More reduction follows the attack time, less the release time.
      const k = target < envelope.reductionDb ? envelope.attack : envelope.release;
      envelope.reductionDb = target + k * (envelope.reductionDb - target);
      deepest = Math.min(deepest, envelope.reductionDb);
      const gain = fromDecibels(envelope.reductionDb) * this.makeup;
      for (let c = 0; c < channels; c++) samples[n * channels + c] = frame.samples[n * channels + c]! * gain;
    }
    return { ...frame, samples, dynamics: { gainReductionDb: deepest } };
  }

  /** The static curve: reduction in dB for a level, with a quadratic knee centred on the threshold. */
  private reductionAt(levelDb: number): number {
    if (levelDb <= DB_FLOOR) return 0;
    const { thresholdDb, ratio, kneeDb } = this.config;
    const over = levelDb - thresholdDb;
    const slope = 1 / ratio - 1;
    if (2 * over <= -kneeDb) return 0;
    if (kneeDb > 0 && 2 * Math.abs(over) < kneeDb) return (slope * (over + kneeDb / 2) ** 2) / (2 * kneeDb);
    return slope * over;
  }
}

export const compressorDefinition = defineBuiltinNode<CompressorConfig>({
  name: 'Compressor',
  description: 'Evens out loudness: reduces level above a threshold by a ratio, with knee, attack, release and make-up gain.',
  category: 'audio',
  configSchema: {
    properties: {
      thresholdDb: { type: 'number', description: 'Level (dBFS peak) above which the gain is reduced.', minimum: -80, maximum: 0, default: -20 },
      ratio: { type: 'number', description: 'Input dB above the threshold per output dB (4 means 4:1).', minimum: 1, maximum: 100, default: 4 },
      kneeDb: { type: 'number', description: 'Width of the soft knee around the threshold, in dB.', minimum: 0, maximum: 24, default: 6 },
      attackMs: { type: 'number', description: 'Time for the gain to come down.', minimum: 0, maximum: 1000, default: 5 },
      releaseMs: { type: 'number', description: 'Time for the gain to recover.', minimum: 0, maximum: 5000, default: 100 },
      makeupDb: { type: 'number', description: 'Gain added after compression, in dB.', minimum: 0, maximum: 40, default: 0 },
    },
  },
  example: { thresholdDb: -24, ratio: 3, makeupDb: 6 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new CompressorNode(config),
});
