import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import { videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { NO_NODE_LIMITS, type NodeLimits } from '../NodeLimits.ts';
import { OutputAllocator } from '../OutputAllocator.ts';
import { expectVideo } from './expectVideo.ts';
import { planesOf } from './planes.ts';
import type { Plane } from './planes.ts';

export interface ResizeConfig {
  width: number;
  height: number;
}

/**
 * Bilinear resize to a fixed size, plane by plane. Pixel centres are aligned (x_src = (x + 0.5) * scale - 0.5),
 * as in OpenCV and browsers, so the image does not shift. Strong downscales alias; a box pre-filter is not applied.
 */
export class ResizeNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Resize';
  private readonly config: ResizeConfig;
  private readonly output: OutputAllocator;

  constructor(config: ResizeConfig, limits: NodeLimits = NO_NODE_LIMITS) {
    this.config = config;
    this.output = new OutputAllocator(this.name, limits);
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const { width, height } = this.config;
    if (width === frame.width && height === frame.height) return frame;
    const data = this.output.frameBytes(videoFrameByteLength(frame.format, width, height), `a ${width}x${height} ${frame.format} frame`);
    const sources = planesOf(frame.format, frame.width, frame.height);
    const targets = planesOf(frame.format, width, height);
    sources.forEach((source, index) => resizePlane(frame.data, source, data, targets[index]!));
    return { ...frame, width, height, data };
  }
}

function resizePlane(from: Uint8Array, source: Plane, to: Uint8Array, target: Plane): void {
  const bpp = source.bytesPerPixel;
  const scaleX = source.width / target.width;
  const scaleY = source.height / target.height;
  for (let y = 0; y < target.height; y++) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), source.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, source.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < target.width; x++) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), source.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, source.width - 1);
      const fx = sx - x0;
      const p00 = source.offset + (y0 * source.width + x0) * bpp;
      const p01 = source.offset + (y0 * source.width + x1) * bpp;
      const p10 = source.offset + (y1 * source.width + x0) * bpp;
      const p11 = source.offset + (y1 * source.width + x1) * bpp;
      const out = target.offset + (y * target.width + x) * bpp;
      for (let b = 0; b < bpp; b++) {
        const top = from[p00 + b]! + (from[p01 + b]! - from[p00 + b]!) * fx;
        const bottom = from[p10 + b]! + (from[p11 + b]! - from[p10 + b]!) * fx;
        to[out + b] = Math.round(top + (bottom - top) * fy);
      }
    }
  }
}

export const resizeDefinition = defineBuiltinNode<ResizeConfig>({
  name: 'Resize',
  description: 'Scales video frames to a fixed size (bilinear).',
  category: 'video',
  configSchema: {
    properties: {
      width: { type: 'integer', description: 'Output width in pixels.', minimum: 1, maximum: 16384 },
      height: { type: 'integer', description: 'Output height in pixels.', minimum: 1, maximum: 16384 },
    },
    required: ['width', 'height'],
  },
  example: { width: 160, height: 120 },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config, limits) => new ResizeNode(config, limits),
});
