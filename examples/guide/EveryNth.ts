import type { VideoFrameData } from '@remotemedia/shared';

/** Passes every nth frame: its count lives in the instance between calls; a frame it drops has no output. */
export class EveryNth {
  private seen = 0;

  // On the edge the constructor runs once, at deploy, with copies of the arguments (plain data only).
  constructor(private readonly n: number) {}

  process(frame: VideoFrameData): VideoFrameData | undefined {
    this.seen++;
    return this.seen % this.n === 0 ? frame : undefined;
  }
}
