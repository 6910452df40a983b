import type { VideoFrameData } from '@remotemedia/shared';

/**
 * Gamma correction for every pixel format, with the whole lifecycle: the constructor keeps its argument,
 * `initialize` builds a lookup table once, `process` applies it, `cleanup` reports.
 */
export class Gamma {
  private table = new Uint8Array(256);
  private frames = 0;

  constructor(private readonly gamma: number) {}

  initialize(): void {
    for (let v = 0; v < 256; v++) this.table[v] = Math.round(255 * (v / 255) ** (1 / this.gamma));
  }

  process(frame: VideoFrameData): VideoFrameData {
    const { data, width, height } = frame;
    if (frame.format === 'rgba') {
      for (let i = 0; i < data.length; i++) if (i % 4 !== 3) data[i] = this.table[data[i]!]!;
    } else {
      // gray: every byte is a pixel; i420: only the Y plane (the first width x height bytes) holds brightness.
      for (let i = 0; i < width * height; i++) data[i] = this.table[data[i]!]!;
    }
    this.frames++;
    return frame;
  }

  cleanup(): void {
    console.log(`gamma ${this.gamma}: ${this.frames} frames`);
  }
}
