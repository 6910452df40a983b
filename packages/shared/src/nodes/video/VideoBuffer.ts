import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { expectVideo } from './expectVideo.ts';

export interface VideoBufferConfig {
  size: number;
  stride: number;
}

/**
 * Emits windows of `size` consecutive frames (an array) for models that look at clips. A new window starts
 * every `stride` frames: stride = size gives disjoint batches, a smaller stride overlapping ones.
 * On flush, frames not yet emitted come out as a last, shorter window.
 */
export class VideoBufferNode implements PipelineNode<VideoFrameData, VideoFrameData[]> {
  readonly name = 'VideoBuffer';
  private readonly config: VideoBufferConfig;
  private readonly output: OutputAllocator;
  private window: VideoFrameData[] = [];
  private windowBytes = 0;
  private unsent = 0;

  constructor(config: VideoBufferConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: VideoFrameData): VideoFrameData[] | undefined {
    const frame = expectVideo(this.name, input);
    // The window is emitted as one item: refuse the frame that would make it too big to send, before holding it.
    this.output.checkItem(this.windowBytes + frame.data.byteLength, `a window of ${this.window.length + 1} frames`);
    this.window.push(frame);
    this.windowBytes += frame.data.byteLength;
    this.unsent++;
    if (this.window.length < this.config.size) return undefined;
    const batch = this.window.slice();
    this.keep(this.window.slice(this.config.stride));
    this.unsent = 0;
    return batch;
  }

  flush(): VideoFrameData[] | undefined {
    if (this.unsent === 0) return undefined;
    const batch = this.window;
    this.keep([]);
    this.unsent = 0;
    return batch;
  }

  private keep(frames: VideoFrameData[]): void {
    this.window = frames;
    this.windowBytes = frames.reduce((sum, frame) => sum + frame.data.byteLength, 0);
  }
}

export const videoBufferDefinition = defineBuiltinNode<VideoBufferConfig>({
  name: 'VideoBuffer',
  description: 'Groups video frames into arrays of `size` (overlapping when `stride` < size).',
  category: 'video',
  configSchema: {
    properties: {
      size: { type: 'integer', description: 'Frames per window.', minimum: 1, maximum: 1000, default: 8 },
      stride: { type: 'integer', description: 'Frames between window starts; at most size.', minimum: 1, maximum: 1000, default: 8 },
    },
  },
  example: { size: 4, stride: 2 },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['data'],
  remote: true,
  refine: (config) =>
    config.stride > config.size ? [{ field: 'stride', message: `must not exceed size (${config.size}), got ${config.stride}` }] : [],
  build: (config, limits) => new VideoBufferNode(config, limits),
});
