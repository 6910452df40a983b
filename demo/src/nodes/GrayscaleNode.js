// A user-written node: it runs inside the edge's QuickJS sandbox, not in this page.
// It keeps state (a frame counter) across calls, like any remote object.
// The per-pixel work is one call to a host kernel: inside the sandbox it runs in V8 over the frame's bytes where
// they lie (a QuickJS loop over 640x480 RGBA takes tens of ms, too slow for camera rate).
import { grayscale } from '@remotemedia/shared/kernels';

export class GrayscaleNode {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    const { width, height, data } = frame;
    if (frame.format === 'gray') {
      // Already gray: nothing to change.
    } else if (frame.format === 'i420') {
      // Luma stays; neutral chroma (128) in both half-size planes makes every pixel gray.
      data.fill(128, (width * height) | 0);
    } else {
      // Rec. 601 luma in integer arithmetic, (77 R + 150 G + 29 B) >> 8, written over the frame in place.
      grayscale({ data, width, height }, data);
    }
    this.frames++;
    return frame;
  }

  count() {
    return this.frames;
  }
}
