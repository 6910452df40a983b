import { PIXEL_FORMATS, type VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { clampByte, grayToY } from './bt601.ts';
import { expectVideo } from './expectVideo.ts';
import { lumaOf } from './lumaOf.ts';

export interface EdgeDetectorConfig {
  /** 0: the gradient magnitude as brightness; above: white where the magnitude reaches it, black elsewhere. */
  threshold: number;
  gain: number;
}

/**
 * Outlines: the Sobel gradient magnitude of the brightness, drawn as a gray picture in the frame's own format
 * (bright where edges are), or as black and white above a threshold. Border pixels repeat their neighbours.
 */
export class EdgeDetectorNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'EdgeDetector';

  constructor(private readonly config: EdgeDetectorConfig) {}

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    const { width, height } = frame;
    const luma = lumaOf(frame);
    const at = (x: number, y: number) => luma[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
    const edges = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const gx = at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1);
        const gy = at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1);
        // |G| can reach 4 * 255 * sqrt(2); a quarter of it fills the byte range for strong edges.
        const magnitude = (Math.hypot(gx, gy) / 4) * this.config.gain;
        edges[y * width + x] = this.config.threshold > 0 ? (magnitude >= this.config.threshold ? 255 : 0) : clampByte(magnitude);
      }
    }
    return { ...frame, data: drawGray(frame, edges) };
  }
}

/** A full-range gray picture in `frame`'s format. */
function drawGray(frame: VideoFrameData, gray: Uint8Array): Uint8Array {
  const data = new Uint8Array(frame.data.length);
  switch (frame.format) {
    case 'gray':
      data.set(gray);
      break;
    case 'rgba':
      for (let i = 0; i < gray.length; i++) data.set([gray[i]!, gray[i]!, gray[i]!, frame.data[4 * i + 3]!], 4 * i);
      break;
    case 'i420':
      for (let i = 0; i < gray.length; i++) data[i] = Math.round(grayToY(gray[i]!, 'limited'));
      data.fill(128, gray.length);
      break;
  }
  return data;
}

export const edgeDetectorDefinition = defineBuiltinNode<EdgeDetectorConfig>({
  name: 'EdgeDetector',
  description: 'Outlines edges (Sobel gradient of brightness), as a gray picture or black and white above a threshold.',
  category: 'video',
  configSchema: {
    properties: {
      threshold: { type: 'integer', description: '0 for gradient brightness; 1-255 for white edges above it.', minimum: 0, maximum: 255, default: 0 },
      gain: {
        type: 'number',
        description: 'Multiplies the gradient before drawing (brings out faint edges).',
        minimum: 0.1,
        maximum: 16,
        default: 1,
      },
    },
  },
  example: { threshold: 60 },
  inputKinds: ['video'],
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: (config) => new EdgeDetectorNode(config),
});
