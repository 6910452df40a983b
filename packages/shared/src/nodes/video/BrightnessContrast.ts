import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { clampByte, grayToY, yToGray } from './bt601.ts';
import { expectVideo } from './expectVideo.ts';

export interface BrightnessContrastConfig {
  /** Added to every brightness level, -255..255. */
  brightness: number;
  /** Scales levels around mid-gray: 1 unchanged, 0 flat gray, 2 twice the contrast. */
  contrast: number;
  /** Applied last: out = 255 * (in / 255) ^ (1 / gamma); above 1 brightens shadows. */
  gamma: number;
}

/**
 * Adjusts brightness, contrast and gamma with one 256-entry lookup table: RGB channels of RGBA (alpha kept),
 * gray, or the luma of I420 (chroma kept, so colours keep their hue).
 */
export class BrightnessContrastNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'BrightnessContrast';
  private readonly table = new Uint8Array(256);
  private readonly lumaTable = new Uint8Array(256);

  constructor(config: BrightnessContrastConfig) {
    for (let level = 0; level < 256; level++) {
      const adjusted = Math.min(255, Math.max(0, (level - 127.5) * config.contrast + 127.5 + config.brightness));
      this.table[level] = clampByte(255 * (adjusted / 255) ** (1 / config.gamma));
    }
    // I420 luma is limited range: adjust it as the gray level it shows.
    for (let y = 0; y < 256; y++) this.lumaTable[y] = clampByte(grayToY(this.table[clampByte(yToGray(y, 'limited'))]!, 'limited'));
  }

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const data = frame.data.slice();
    if (frame.format === 'i420') {
      for (let i = 0; i < frame.width * frame.height; i++) data[i] = this.lumaTable[data[i]!]!;
    } else {
      for (let i = 0; i < data.length; i++) if (frame.format === 'gray' || i % 4 !== 3) data[i] = this.table[data[i]!]!;
    }
    return { ...frame, data };
  }
}

export const brightnessContrastDefinition = defineBuiltinNode<BrightnessContrastConfig>({
  name: 'BrightnessContrast',
  description: 'Adjusts brightness, contrast and gamma of the picture.',
  category: 'video',
  configSchema: {
    properties: {
      brightness: { type: 'number', description: 'Added to every level (-255 to 255).', minimum: -255, maximum: 255, default: 0 },
      contrast: { type: 'number', description: 'Around mid-gray: 1 unchanged, 0 flat, 2 doubled.', minimum: 0, maximum: 4, default: 1 },
      gamma: { type: 'number', description: 'Above 1 brightens shadows, below 1 darkens them.', minimum: 0.1, maximum: 10, default: 1 },
    },
  },
  example: { brightness: 20, contrast: 1.2 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new BrightnessContrastNode(config),
});
