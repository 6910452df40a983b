import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { measureLevels } from './measureLevels.ts';

/** Levels of one frame in dBFS (a full-scale sine: RMS -3.01, peak 0). Floored at DB_FLOOR (-120). */
export interface AudioLevels {
  rmsDb: number;
  peakDb: number;
  channelRmsDb: number[];
  channelPeakDb: number[];
}

export type MeteredAudioFrame = AudioFrameData & { readonly levels: AudioLevels };

export function audioLevels(frame: AudioFrameData): AudioLevels {
  const levels = measureLevels(frame.samples, frame.channels);
  return {
    rmsDb: toDecibels(levels.rms),
    peakDb: toDecibels(levels.peak),
    channelRmsDb: levels.channelRms.map(toDecibels),
    channelPeakDb: levels.channelPeak.map(toDecibels),
  };
}

/**
 * Passes audio through untouched, annotated with its `levels`. Annotating (rather than emitting a separate
 * data item) keeps the stream one kind, so audio nodes can follow; the samples are shared, not copied.
 */
export class LevelMeterNode implements PipelineNode<AudioFrameData, MeteredAudioFrame> {
  readonly name = 'LevelMeter';

  process(input: AudioFrameData): MeteredAudioFrame {
    const frame = expectAudio(this.name, input);
    return { ...frame, levels: audioLevels(frame) };
  }
}

export const levelMeterDefinition = defineBuiltinNode<Record<string, never>>({
  name: 'LevelMeter',
  description: 'Measures RMS and peak level (dBFS) of each audio frame and attaches them as `levels`.',
  category: 'audio',
  configSchema: { properties: {} },
  example: {},
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: () => new LevelMeterNode(),
});
