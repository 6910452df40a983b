import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import { audioFrameDuration } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { blockEnergy, toneShare } from './goertzel.ts';
import { monoMix } from './monoMix.ts';

export interface ToneDetectorConfig {
  frequencyHz: number;
  minShare: number;
  minLevelDb: number;
  minDurationMs: number;
}

export interface ToneInfo {
  /** True once the tone has been heard for `minDurationMs`. */
  readonly present: boolean;
  /** Share of this frame's energy at the frequency (0..1). */
  readonly share: number;
  readonly levelDb: number;
  readonly heardForMs: number;
}

export type ToneAudioFrame = AudioFrameData & { readonly tone: ToneInfo };

/**
 * Detects a steady tone at one frequency (a test tone, a beep, a ringback): the frame's energy at that frequency
 * must be at least `minShare` of the whole and the frame louder than `minLevelDb`, for `minDurationMs`.
 * Frequency resolution is about 1 / frame length (50 Hz for 20 ms frames).
 */
export class ToneDetectorNode implements PipelineNode<AudioFrameData, ToneAudioFrame> {
  readonly name = 'ToneDetector';
  private heardForMs = 0;

  constructor(private readonly config: ToneDetectorConfig) {}

  process(input: AudioFrameData): ToneAudioFrame {
    const frame = expectAudio(this.name, input);
    const mono = monoMix(frame);
    const energy = blockEnergy(mono);
    const levelDb = toDecibels(Math.sqrt(energy / Math.max(1, mono.length)));
    const share =
      this.config.frequencyHz < frame.sampleRate / 2 ? Math.min(1, toneShare(mono, this.config.frequencyHz, frame.sampleRate, energy)) : 0;
    const heard = share >= this.config.minShare && levelDb >= this.config.minLevelDb;
    this.heardForMs = heard ? this.heardForMs + audioFrameDuration(frame) : 0;
    const present = heard && this.heardForMs >= this.config.minDurationMs;
    return { ...frame, tone: { present, share, levelDb, heardForMs: this.heardForMs } };
  }
}

export const toneDetectorDefinition = defineBuiltinNode<ToneDetectorConfig>({
  name: 'ToneDetector',
  description: 'Detects a steady tone at a given frequency (test tones, beeps), as `tone` on each frame.',
  category: 'audio',
  configSchema: {
    properties: {
      frequencyHz: { type: 'number', description: 'The tone to listen for, in Hz.', minimum: 20, maximum: 20_000, default: 1000 },
      minShare: { type: 'number', description: 'Least share of the frame energy at that frequency (0..1).', minimum: 0.05, maximum: 1, default: 0.5 },
      minLevelDb: { type: 'number', description: 'Least frame level (dBFS RMS) to count.', minimum: -100, maximum: 0, default: -50 },
      minDurationMs: { type: 'number', description: 'How long it must last to be reported.', minimum: 0, maximum: 60_000, default: 40 },
    },
  },
  example: { frequencyHz: 440, minDurationMs: 100 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new ToneDetectorNode(config),
});
