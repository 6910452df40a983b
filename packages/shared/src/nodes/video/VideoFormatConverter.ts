import { PIXEL_FORMATS, videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import type { PixelFormat, VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import type { YuvRange } from './bt601.ts';
import { convertPixelFormat } from './convertPixelFormat.ts';
import { expectVideo } from './expectVideo.ts';

export interface VideoFormatConverterConfig {
  format: PixelFormat;
  range: YuvRange;
}

/** Converts video between rgba, i420 and gray (BT.601). Frames already in the target format pass untouched. */
export class VideoFormatConverterNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'VideoFormatConverter';
  private readonly config: VideoFormatConverterConfig;
  private readonly output: OutputAllocator;

  constructor(config: VideoFormatConverterConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const { format } = this.config;
    // gray -> rgba quadruples the bytes: a frame the edge accepted can convert into one it could not send.
    this.output.checkFrame(videoFrameByteLength(format, frame.width, frame.height), `a ${frame.width}x${frame.height} ${format} frame`);
    return convertPixelFormat(frame, format, this.config.range);
  }
}

export const videoFormatConverterDefinition = defineBuiltinNode<VideoFormatConverterConfig>({
  name: 'VideoFormatConverter',
  description: 'Converts video frames between rgba, i420 and gray pixel formats (BT.601).',
  category: 'video',
  configSchema: {
    properties: {
      format: { type: 'string', description: 'Target pixel format.', enum: PIXEL_FORMATS, default: 'i420' },
      range: {
        type: 'string',
        description: 'YUV range of i420 data: limited (16..235, cameras/browsers) or full (0..255).',
        enum: ['limited', 'full'],
        default: 'limited',
      },
    },
  },
  example: { format: 'rgba' },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config, limits) => new VideoFormatConverterNode(config, limits),
});
