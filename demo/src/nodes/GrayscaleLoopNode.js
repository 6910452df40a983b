// A user-written node: it runs inside the edge's QuickJS sandbox, not in this page.
// It keeps state (a frame counter) across calls, like any remote object. The same effect as GrayscaleNode.js
// with the per-pixel work as a plain loop: QuickJS interprets it, ~40-200x slower than the host kernel there.
export class GrayscaleLoopNode {
  constructor() {
    this.frames = 0;
  }

  process(frame) {
    const data = frame.data;
    if (frame.format === 'gray') {
      // Already gray: nothing to change.
    } else if (frame.format === 'i420') {
      // Luma stays; neutral chroma (128) in both half-size planes makes every pixel gray.
      data.fill(128, (frame.width * frame.height) | 0);
    } else {
      const n = data.length | 0;
      for (let i = 0; i < n; i += 4) {
        // Rec. 601 luma in integer arithmetic (QuickJS is an interpreter: keep the loop cheap).
        const y = (data[i] * 77 + data[i + 1] * 150 + data[i + 2] * 29) >> 8;
        data[i] = y;
        data[i + 1] = y;
        data[i + 2] = y;
      }
    }
    this.frames++;
    return frame;
  }

  count() {
    return this.frames;
  }
}
