import type { VideoFrameData } from '@remotemedia/shared';
import { boxBlur3x3 } from '@remotemedia/shared/kernels';

/**
 * The same blur as BoxBlurLoop with one kernel call. In the edge's sandbox the kernel runs on the host, in V8,
 * over the frame's bytes where they lie in the sandbox's memory; in a browser or Node it is the same plain JS.
 */
export class BoxBlurKernels {
  process(frame: VideoFrameData): VideoFrameData {
    return { ...frame, data: boxBlur3x3(frame) };
  }
}
