import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { clampByte } from './bt601.ts';
import { blurFrame, gaussianKernel, type Kernel } from './convolve.ts';
import { expectVideo } from './expectVideo.ts';

export interface SharpenConfig {
  amount: number;
  radius: number;
}

/**
 * Sharpens with an unsharp mask: adds `amount` times the difference between the frame and a Gaussian blur of
 * it, so edges gain contrast and flat areas stay flat. Alpha and I420 chroma are left alone.
 */
export class SharpenNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Sharpen';
  private readonly kernel: Kernel;

  constructor(private readonly config: SharpenConfig) {
    this.kernel = gaussianKernel(config.radius);
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const blurred = blurFrame(frame, this.kernel);
    const data = frame.data.slice();
    // I420: only luma carries detail; sharpening chroma would only add colour fringes.
    const end = frame.format === 'i420' ? frame.width * frame.height : data.length;
    for (let i = 0; i < end; i++) {
      if (frame.format === 'rgba' && i % 4 === 3) continue;
      data[i] = clampByte(frame.data[i]! + this.config.amount * (frame.data[i]! - blurred[i]!));
    }
    return { ...frame, data };
  }
}

export const sharpenDefinition = defineBuiltinNode<SharpenConfig>({
  name: 'Sharpen',
  description: 'Sharpens edges with an unsharp mask (amount and radius).',
  category: 'video',
  configSchema: {
    properties: {
      amount: { type: 'number', description: 'How much of the detail to add back (1 doubles edge contrast).', minimum: 0, maximum: 5, default: 1 },
      radius: {
        type: 'number',
        description: 'Size of the detail that is sharpened (Gaussian sigma, pixels).',
        minimum: 0.5,
        maximum: 10,
        default: 1,
      },
    },
  },
  example: { amount: 0.6, radius: 1.5 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new SharpenNode(config),
});
