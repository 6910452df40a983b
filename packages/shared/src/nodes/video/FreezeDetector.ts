import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';
import { lumaOf } from './lumaOf.ts';

export interface FreezeDetectorConfig {
  maxMeanDifference: number;
  minFrozenMs: number;
}

export interface FreezeInfo {
  /** True once the picture has not changed for `minFrozenMs`. */
  readonly frozen: boolean;
  /** Mean absolute brightness difference from the previous frame (0-255). */
  readonly meanDifference: number;
  readonly frozenForMs: number;
}

export type FreezeCheckedFrame = VideoFrameData & { readonly freeze: FreezeInfo };

/**
 * Flags a frozen picture (a stuck encoder, a paused source that keeps sending the same frame): consecutive frames
 * whose mean brightness difference stays under `maxMeanDifference` (sensor noise passes, motion does not) for
 * `minFrozenMs` of frame time.
 */
export class FreezeDetectorNode implements PipelineNode<VideoFrameData, FreezeCheckedFrame> {
  readonly name = 'FreezeDetector';
  private previous: { luma: Uint8Array; width: number; height: number } | undefined;
  private stillSince: number | undefined;

  constructor(private readonly config: FreezeDetectorConfig) {}

  process(input: VideoFrameData): FreezeCheckedFrame {
    const frame = expectVideo(this.name, input);
    const luma = lumaOf(frame);
    const previous = this.previous;
    let meanDifference = 255;
    if (previous && previous.width === frame.width && previous.height === frame.height) {
      let sum = 0;
      for (let i = 0; i < luma.length; i++) sum += Math.abs(luma[i]! - previous.luma[i]!);
      meanDifference = sum / luma.length;
    }
    // The reference must be a copy: for gray frames `luma` is the frame's own buffer, which a later node may change.
    this.previous = { luma: luma === frame.data ? luma.slice() : luma, width: frame.width, height: frame.height };
    if (meanDifference > this.config.maxMeanDifference) this.stillSince = frame.timestamp;
    this.stillSince ??= frame.timestamp;
    const frozenForMs = frame.timestamp - this.stillSince;
    const frozen = frozenForMs > 0 && frozenForMs >= this.config.minFrozenMs;
    return { ...frame, freeze: { frozen, meanDifference, frozenForMs } };
  }
}

export const freezeDetectorDefinition = defineBuiltinNode<FreezeDetectorConfig>({
  name: 'FreezeDetector',
  description: 'Flags a frozen picture (the same frame over and over) lasting a minimum time, as `freeze` on each frame.',
  category: 'video',
  configSchema: {
    properties: {
      maxMeanDifference: {
        type: 'number',
        description: 'Mean brightness change (0-255) under which two frames count as the same.',
        minimum: 0,
        maximum: 50,
        default: 1,
      },
      minFrozenMs: {
        type: 'number',
        description: 'How long the picture must stay the same to be reported.',
        minimum: 0,
        maximum: 600_000,
        default: 1000,
      },
    },
  },
  example: { maxMeanDifference: 0.5, minFrozenMs: 2000 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new FreezeDetectorNode(config),
});
