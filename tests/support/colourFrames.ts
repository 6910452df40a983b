import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared';

/**
 * `count` RGBA frames of a colourful ramp that shifts from frame to frame (33 ms apart): R, G and B differ at
 * almost every pixel, so a node that mixes channels up or drops a frame's change shows in the bytes.
 */
export function colourFrames(count: number, width = 64, height = 48): VideoFrameData[] {
  return Array.from({ length: count }, (_, n) => {
    const frame = createVideoFrame({ width, height, format: 'rgba', timestamp: n * 33 });
    for (let i = 0; i < frame.data.length; i += 4) {
      frame.data[i] = (i / 4 + n * 9) & 255;
      frame.data[i + 1] = (i / 16) & 255;
      frame.data[i + 2] = 255 - ((i / 4) & 255);
      frame.data[i + 3] = 255;
    }
    return frame;
  });
}
