import type { TransportKind, VideoFrameData } from '@remotemedia/browser-sdk';

export interface PixelSample {
  x: number;
  y: number;
  input: [number, number, number];
  output: [number, number, number];
}

/**
 * What the page saw, kept on `window.remotemediaDemo` so a person (devtools) or a browser test can check
 * the result: pixels in and out, frames back, transport in use.
 */
export class DemoProbe {
  framesReceived = 0;
  transport: TransportKind | undefined;
  readonly samples: PixelSample[] = [];
  readonly errors: string[] = [];
  private readonly arrivals: number[] = [];

  record(input: VideoFrameData, output: VideoFrameData): void {
    this.framesReceived++;
    const now = performance.now();
    this.arrivals.push(now);
    while (this.arrivals.length > 0 && now - this.arrivals[0]! > 2000) this.arrivals.shift();
    if (this.samples.length >= 64) return;
    // A few fixed points spread over the frame; the fake camera's test pattern is colourful there.
    for (const [fx, fy] of [[0.25, 0.25], [0.5, 0.5], [0.75, 0.6], [0.1, 0.9]] as const) {
      const x = Math.floor(fx * input.width);
      const y = Math.floor(fy * input.height);
      const i = (y * input.width + x) * 4;
      this.samples.push({
        x,
        y,
        input: [input.data[i]!, input.data[i + 1]!, input.data[i + 2]!],
        output: [output.data[i]!, output.data[i + 1]!, output.data[i + 2]!],
      });
    }
  }

  fps(): number {
    if (this.arrivals.length < 2) return 0;
    return ((this.arrivals.length - 1) * 1000) / (this.arrivals[this.arrivals.length - 1]! - this.arrivals[0]!);
  }
}
