import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { NodeResult, PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { emitAll } from '../emitAll.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { measureLevels } from './measureLevels.ts';

export interface VoiceActivityDetectorConfig {
  windowMs: number;
  startThresholdDb: number;
  stopThresholdDb: number;
  minSpeechMs: number;
  hangoverMs: number;
  passAudio: boolean;
}

/** A stretch of speech, in the timebase of the audio frames' timestamps (ms). */
export interface SpeechSegment {
  readonly type: 'speech-segment';
  readonly start: number;
  readonly end: number;
  readonly duration: number;
}

/**
 * Energy-based voice activity detection. Audio is cut into `windowMs` windows; speech starts at a window
 * louder than `startThresholdDb` and continues while windows stay above the lower `stopThresholdDb`
 * (hysteresis, so a level hovering near one threshold does not chop a segment). A segment ends after
 * `hangoverMs` below the stop threshold, at the end of its last loud window; segments shorter than
 * `minSpeechMs` (clicks) are discarded. A segment is emitted once it has ended, or on flush.
 * It detects loud audio, not voices: use it behind noise suppression or where noise is low.
 */
export class VoiceActivityDetectorNode implements PipelineNode<AudioFrameData, SpeechSegment | AudioFrameData> {
  readonly name = 'VoiceActivityDetector';
  private readonly config: VoiceActivityDetectorConfig;
  private windowSquares = 0;
  private windowFill = 0;
  private windowStart = 0;
  private inSpeech = false;
  private speechStart = 0;
  private lastLoudEnd = 0;

  constructor(config: VoiceActivityDetectorConfig) {
    this.config = config;
  }

  process(input: AudioFrameData): NodeResult<SpeechSegment | AudioFrameData> {
    const frame = expectAudio(this.name, input);
    const { samples, channels, sampleRate } = frame;
    const windowFrames = Math.max(1, Math.round((this.config.windowMs / 1000) * sampleRate));
    const frames = samples.length / channels;
    const outputs: (SpeechSegment | AudioFrameData)[] = [];
    if (this.config.passAudio) outputs.push(frame);
    let offset = 0;
    while (offset < frames) {
      if (this.windowFill === 0) this.windowStart = frame.timestamp + (offset / sampleRate) * 1000;
      const take = Math.min(windowFrames - this.windowFill, frames - offset);
      const levels = measureLevels(samples, channels, offset, offset + take);
      this.windowSquares += levels.rms * levels.rms * take;
      this.windowFill += take;
      offset += take;
      if (this.windowFill === windowFrames) {
        const rmsDb = toDecibels(Math.sqrt(this.windowSquares / windowFrames));
        const windowEnd = frame.timestamp + (offset / sampleRate) * 1000;
        const segment = this.step(rmsDb, windowEnd);
        if (segment) outputs.push(segment);
        this.windowSquares = 0;
        this.windowFill = 0;
      }
    }
    return emitAll(outputs);
  }

  flush(): SpeechSegment | undefined {
    if (!this.inSpeech) return undefined;
    this.inSpeech = false;
    return this.segment(this.speechStart, this.lastLoudEnd);
  }

  private step(rmsDb: number, windowEnd: number): SpeechSegment | undefined {
    if (!this.inSpeech) {
      if (rmsDb >= this.config.startThresholdDb) {
        this.inSpeech = true;
        this.speechStart = this.windowStart;
        this.lastLoudEnd = windowEnd;
      }
      return undefined;
    }
    if (rmsDb >= this.config.stopThresholdDb) {
      this.lastLoudEnd = windowEnd;
      return undefined;
    }
    if (windowEnd - this.lastLoudEnd < this.config.hangoverMs) return undefined;
    this.inSpeech = false;
    return this.segment(this.speechStart, this.lastLoudEnd);
  }

  private segment(start: number, end: number): SpeechSegment | undefined {
    const duration = end - start;
    return duration >= this.config.minSpeechMs ? { type: 'speech-segment', start, end, duration } : undefined;
  }
}

export const voiceActivityDetectorDefinition = defineBuiltinNode<VoiceActivityDetectorConfig>({
  name: 'VoiceActivityDetector',
  description: 'Energy-based speech detection with hysteresis; emits { type: "speech-segment", start, end } items.',
  category: 'audio',
  configSchema: {
    properties: {
      windowMs: { type: 'number', description: 'Analysis window length.', minimum: 5, maximum: 100, default: 10 },
      startThresholdDb: { type: 'number', description: 'Window level (dBFS) that starts speech.', minimum: -100, maximum: 0, default: -35 },
      stopThresholdDb: {
        type: 'number',
        description: 'Window level (dBFS) speech must stay above; at most startThresholdDb.',
        minimum: -100,
        maximum: 0,
        default: -45,
      },
      minSpeechMs: { type: 'number', description: 'Shorter segments are discarded.', minimum: 0, maximum: 60_000, default: 100 },
      hangoverMs: {
        type: 'number',
        description: 'Quiet time that ends a segment (pauses between words are shorter).',
        minimum: 0,
        maximum: 10_000,
        default: 200,
      },
      passAudio: { type: 'boolean', description: 'Also forward the audio frames (before segments ending in them).', default: false },
    },
  },
  example: { startThresholdDb: -40, minSpeechMs: 200 },
  inputKinds: ['audio'],
  outputKinds: ['data', 'audio'],
  remote: true,
  refine: (config) =>
    config.stopThresholdDb > config.startThresholdDb
      ? [{ field: 'stopThresholdDb', message: `must not exceed startThresholdDb (${config.startThresholdDb}), got ${config.stopThresholdDb}` }]
      : [],
  build: (config) => new VoiceActivityDetectorNode(config),
});
