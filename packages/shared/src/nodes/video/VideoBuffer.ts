import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineNode } from '../NodeDefinition.ts';
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
  private window: VideoFrameData[] = [];
  private unsent = 0;

  constructor(config: VideoBufferConfig) {
    this.config = config;
  }

  process(input: VideoFrameData): VideoFrameData[] | undefined {
    this.window.push(expectVideo(this.name, input));
    this.unsent++;
    if (this.window.length < this.config.size) return undefined;
    const batch = this.window.slice();
    this.window = this.window.slice(this.config.stride);
    this.unsent = 0;
    return batch;
  }

  flush(): VideoFrameData[] | undefined {
    if (this.unsent === 0) return undefined;
    const batch = this.window;
    this.window = [];
    this.unsent = 0;
    return batch;
  }
}

export const videoBufferDefinition = defineNode<VideoBufferConfig>({
  name: 'VideoBuffer',
  description: 'Groups video frames into arrays of `size` (overlapping when `stride` < size).',
  category: 'video',
  configSchema: {
    properties: {
      size: { type: 'integer', description: 'Frames per window.', minimum: 1, maximum: 1000, default: 8 },
      stride: { type: 'integer', description: 'Frames between window starts; at most size.', minimum: 1, maximum: 1000, default: 8 },
    },
  },
  inputKinds: ['video'],
  outputKinds: ['data'],
  remote: true,
  refine: (config) =>
    config.stride > config.size ? [{ field: 'stride', message: `must not exceed size (${config.size}), got ${config.stride}` }] : [],
  build: (config) => new VideoBufferNode(config),
});
