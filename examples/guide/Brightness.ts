import { convertPixelFormat, type VideoFrameData } from '@remotemedia/shared';
import { mean } from './lib/mean.ts';

/**
 * Measures each frame's brightness, whatever its format, and outputs data instead of a frame. Its imports are
 * packed with it: `./lib/mean.ts` travels in the package, `@remotemedia/shared` is the edge's own copy.
 */
export class Brightness {
  process(frame: VideoFrameData): { timestamp: number; brightness: number } {
    // i420 to gray reads the Y plane (BT.601, camera range); rgba to gray computes Rec.601 luma.
    const gray = convertPixelFormat(frame, 'gray', 'limited');
    return { timestamp: frame.timestamp, brightness: Math.round(mean(gray.data)) };
  }
}
