// The same 3x3 box blur as the "plain JS loop" template, with one call to a host kernel: inside the edge's
// sandbox it runs in V8 over the frame's bytes where they lie (no copy), in a browser or Node as plain JS, with
// the same result everywhere. rgba frames blur all four channels; i420 frames blur the luma plane.
import { boxBlur3x3 } from '@remotemedia/shared/kernels';

export class BoxBlurKernelsNode {
  process(frame) {
    const { width, height, data } = frame;
    const plane = width * height * (frame.format === 'rgba' ? 4 : 1);
    const out = new Uint8Array(data.length);
    out.set(data.subarray(plane), plane);
    boxBlur3x3({ data: data.subarray(0, plane), width, height }, out.subarray(0, plane));
    return { ...frame, data: out };
  }
}
