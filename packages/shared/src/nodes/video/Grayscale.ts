import { PIXEL_FORMATS } from '../../frames/VideoFrameData.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { expectVideo } from './expectVideo.ts';
import { luma } from './bt601.ts';

/**
 * Removes colour, keeping the format: rgba gets R = G = B = Rec.601 luma (alpha kept), i420 gets neutral
 * chroma (128), gray is already gray.
 */
export class GrayscaleNode implements PipelineNode<VideoFrameData, VideoFrameData> {
  readonly name = 'Grayscale';

  process(input: VideoFrameData): VideoFrameData {
    const frame = expectVideo(this.name, input);
    if (frame.format === 'gray') return frame;
    const data = frame.data.slice();
    if (frame.format === 'i420') {
      data.fill(128, frame.width * frame.height);
    } else {
      for (let i = 0; i < data.length; i += 4) {
        const y = Math.round(luma(data[i]!, data[i + 1]!, data[i + 2]!));
        data[i] = y;
        data[i + 1] = y;
        data[i + 2] = y;
      }
    }
    return { ...frame, data };
  }
}

export const grayscaleDefinition = defineBuiltinNode<Record<string, never>>({
  name: 'Grayscale',
  description: 'Removes colour (Rec.601 luma), keeping the pixel format.',
  category: 'video',
  configSchema: { properties: {} },
  example: {},
  inputKinds: ['video'],
  // Handles every layout itself, so nothing is converted before it.
  acceptedFormats: PIXEL_FORMATS,
  outputKinds: ['video'],
  remote: true,
  build: () => new GrayscaleNode(),
});
