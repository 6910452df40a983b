import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import { videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { expectVideo } from './expectVideo.ts';
import { planesOf } from './planes.ts';

export interface CropConfig {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Cuts out a rectangle. It must lie inside the frame; for i420 its origin must be even so chroma
 * (one sample per 2x2 pixels) stays aligned with luma.
 */
export class CropNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Crop';
  private readonly config: CropConfig;
  private readonly output: OutputAllocator;

  constructor(config: CropConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const { x, y, width, height } = this.config;
    if (x + width > frame.width || y + height > frame.height) {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `Crop ${width}x${height} at (${x}, ${y}) does not fit in a ${frame.width}x${frame.height} frame`,
      );
    }
    if (frame.format === 'i420' && (x % 2 !== 0 || y % 2 !== 0)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `Crop of an i420 frame needs an even origin, got (${x}, ${y})`);
    }
    const data = this.output.frameBytes(videoFrameByteLength(frame.format, width, height), `a ${width}x${height} ${frame.format} frame`);
    const sourcePlanes = planesOf(frame.format, frame.width, frame.height);
    const targetPlanes = planesOf(frame.format, width, height);
    sourcePlanes.forEach((source, index) => {
      const target = targetPlanes[index]!;
      // Chroma planes of i420 are half size, so the origin scales with them.
      const scale = frame.format === 'i420' && index > 0 ? 2 : 1;
      const bpp = source.bytesPerPixel;
      for (let row = 0; row < target.height; row++) {
        const start = source.offset + ((y / scale + row) * source.width + x / scale) * bpp;
        data.set(frame.data.subarray(start, start + target.width * bpp), target.offset + row * target.width * bpp);
      }
    });
    return { ...frame, width, height, data };
  }
}

export const cropDefinition = defineBuiltinNode<CropConfig>({
  name: 'Crop',
  description: 'Cuts a rectangle out of each video frame.',
  category: 'video',
  configSchema: {
    properties: {
      x: { type: 'integer', description: 'Left edge in pixels.', minimum: 0, maximum: 16384, default: 0 },
      y: { type: 'integer', description: 'Top edge in pixels.', minimum: 0, maximum: 16384, default: 0 },
      width: { type: 'integer', description: 'Width of the rectangle.', minimum: 1, maximum: 16384 },
      height: { type: 'integer', description: 'Height of the rectangle.', minimum: 1, maximum: 16384 },
    },
    required: ['width', 'height'],
  },
  example: { x: 80, y: 60, width: 160, height: 120 },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config, limits) => new CropNode(config, limits),
});
