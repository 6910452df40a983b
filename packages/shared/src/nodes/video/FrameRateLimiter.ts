import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';

export interface FrameRateLimiterConfig {
  fps: number;
}

/** Timestamps are floats; a frame this close to its slot counts as on time (30 fps steps are 33.333... ms). */
const SLOT_TOLERANCE_MS = 0.001;

/**
 * Drops frames so at most `fps` pass per second of frame timestamps (not wall-clock time, so it behaves the
 * same on replays and under load). Slots advance by exactly 1000/fps, so 30 -> 20 fps keeps two of every three
 * frames evenly. After a gap longer than a slot, or a timestamp going back, slots restart at that frame.
 */
export class FrameRateLimiterNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'FrameRateLimiter';
  private readonly interval: number;
  private nextSlot: number | undefined;
  private lastTimestamp = -Infinity;

  constructor(config: FrameRateLimiterConfig) {
    this.interval = 1000 / config.fps;
  }

  process(input: VideoFrameData): VideoFrameData | undefined {
    const frame = expectVideo(this.name, input);
    const t = frame.timestamp;
    const restart = this.nextSlot === undefined || t < this.lastTimestamp || t - this.nextSlot >= this.interval;
    this.lastTimestamp = t;
    if (restart) {
      this.nextSlot = t + this.interval;
      return frame;
    }
    if (t + SLOT_TOLERANCE_MS < this.nextSlot!) return undefined;
    this.nextSlot! += this.interval;
    return frame;
  }
}

export const frameRateLimiterDefinition = defineBuiltinNode<FrameRateLimiterConfig>({
  name: 'FrameRateLimiter',
  description: 'Drops video frames to keep at most `fps` frames per second of timestamps.',
  category: 'video',
  configSchema: {
    properties: {
      fps: { type: 'number', description: 'Maximum frames per second.', exclusiveMinimum: 0, maximum: 240, default: 15 },
    },
  },
  example: { fps: 10 },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new FrameRateLimiterNode(config),
});
