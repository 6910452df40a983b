import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';
import { lumaOf } from './lumaOf.ts';

export interface BlackFrameDetectorConfig {
  maxLuma: number;
  minDarkShare: number;
  minDurationMs: number;
}

export interface BlackInfo {
  /** True once frames have been black for `minDurationMs`. */
  readonly black: boolean;
  /** Share of this frame's pixels at or below `maxLuma` (0..1). */
  readonly darkShare: number;
  readonly meanLuma: number;
  readonly blackForMs: number;
}

export type BlackCheckedFrame = VideoFrameData & { readonly blackFrame: BlackInfo };

/**
 * Flags black video (a covered lens, a dead source, a fade): a frame is black when nearly all its pixels are
 * dark; a run of such frames lasting `minDurationMs` (by frame timestamps) is reported as `blackFrame.black`.
 */
export class BlackFrameDetectorNode implements PipelineNode<VideoFrameData, BlackCheckedFrame> {
  readonly name = 'BlackFrameDetector';
  private runStart: number | undefined;

  constructor(private readonly config: BlackFrameDetectorConfig) {}

  process(input: VideoFrameData): BlackCheckedFrame {
    const frame = expectVideo(this.name, input);
    const luma = lumaOf(frame);
    let dark = 0;
    let sum = 0;
    for (let i = 0; i < luma.length; i++) {
      sum += luma[i]!;
      if (luma[i]! <= this.config.maxLuma) dark++;
    }
    const darkShare = dark / luma.length;
    const isBlack = darkShare >= this.config.minDarkShare;
    if (!isBlack) this.runStart = undefined;
    else this.runStart ??= frame.timestamp;
    const blackForMs = this.runStart === undefined ? 0 : frame.timestamp - this.runStart;
    const black = isBlack && blackForMs >= this.config.minDurationMs;
    return { ...frame, blackFrame: { black, darkShare, meanLuma: sum / luma.length, blackForMs } };
  }
}

export const blackFrameDetectorDefinition = defineBuiltinNode<BlackFrameDetectorConfig>({
  name: 'BlackFrameDetector',
  description: 'Flags black video (covered lens, dead source) lasting a minimum time, as `blackFrame` on each frame.',
  category: 'video',
  configSchema: {
    properties: {
      maxLuma: { type: 'integer', description: 'Brightness (0-255) at or below which a pixel is dark.', minimum: 0, maximum: 128, default: 24 },
      minDarkShare: { type: 'number', description: 'Share of dark pixels that makes a frame black.', minimum: 0.5, maximum: 1, default: 0.98 },
      minDurationMs: { type: 'number', description: 'How long frames must stay black to be reported.', minimum: 0, maximum: 600_000, default: 0 },
    },
  },
  example: { maxLuma: 32, minDurationMs: 500 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new BlackFrameDetectorNode(config),
});
