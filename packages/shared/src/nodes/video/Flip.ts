import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';
import { planesOf } from './planes.ts';

export const FLIP_DIRECTIONS = ['horizontal', 'vertical', 'both'] as const;
export type FlipDirection = (typeof FLIP_DIRECTIONS)[number];

export interface FlipConfig {
  direction: FlipDirection;
}

/** Mirrors frames left-right (`horizontal`, a selfie view), upside down (`vertical`), or both (a 180° turn). */
export class FlipNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Flip';
  private readonly horizontal: boolean;
  private readonly vertical: boolean;

  constructor(config: FlipConfig) {
    this.horizontal = config.direction !== 'vertical';
    this.vertical = config.direction !== 'horizontal';
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const data = new Uint8Array(frame.data.length);
    for (const plane of planesOf(frame.format, frame.width, frame.height)) {
      const { offset, width, height, bytesPerPixel: bpp } = plane;
      const stride = width * bpp;
      for (let y = 0; y < height; y++) {
        const sourceRow = offset + (this.vertical ? height - 1 - y : y) * stride;
        const targetRow = offset + y * stride;
        if (!this.horizontal) {
          data.set(frame.data.subarray(sourceRow, sourceRow + stride), targetRow);
          continue;
        }
        for (let x = 0; x < width; x++) {
          const source = sourceRow + (width - 1 - x) * bpp;
          const target = targetRow + x * bpp;
          for (let b = 0; b < bpp; b++) data[target + b] = frame.data[source + b]!;
        }
      }
    }
    return { ...frame, data };
  }
}

export const flipDefinition = defineBuiltinNode<FlipConfig>({
  name: 'Flip',
  description: 'Mirrors video horizontally, vertically, or both.',
  category: 'video',
  configSchema: {
    properties: {
      direction: { type: 'string', description: 'Which axis to mirror.', enum: FLIP_DIRECTIONS, default: 'horizontal' },
    },
  },
  example: { direction: 'horizontal' },
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new FlipNode(config),
});
