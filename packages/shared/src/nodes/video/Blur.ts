import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { blurFrame, boxKernel, gaussianKernel, type Kernel } from './convolve.ts';
import { expectVideo } from './expectVideo.ts';

export const BLUR_KINDS = ['gaussian', 'box'] as const;
export type BlurKind = (typeof BLUR_KINDS)[number];

export interface BlurConfig {
  kind: BlurKind;
  /** Box: pixels each side. Gaussian: sigma in pixels. */
  radius: number;
}

/** Softens frames (Gaussian or box), every format; separable, so cost grows with the radius, not its square. */
export class BlurNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Blur';
  private readonly kernel: Kernel;

  constructor(config: BlurConfig) {
    this.kernel = config.kind === 'box' ? boxKernel(Math.round(config.radius)) : gaussianKernel(config.radius);
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    return { ...frame, data: Uint8Array.from(blurFrame(frame, this.kernel), (v) => Math.round(v)) };
  }
}

export const blurDefinition = defineBuiltinNode<BlurConfig>({
  name: 'Blur',
  description: 'Softens the picture with a Gaussian or box blur.',
  category: 'video',
  configSchema: {
    properties: {
      kind: { type: 'string', description: 'Gaussian (natural) or box (flat average).', enum: BLUR_KINDS, default: 'gaussian' },
      radius: { type: 'number', description: 'Gaussian sigma, or box half-width, in pixels.', minimum: 0.5, maximum: 32, default: 2 },
    },
  },
  example: { kind: 'box', radius: 1 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new BlurNode(config),
});
