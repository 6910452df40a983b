/**
 * When each sample of a stream was heard, from the timestamps of the frames it came in: a frame's samples are
 * dated from that frame's own timestamp, so frames missing in between (dropped on the way, as live audio is
 * when a link or the edge is busy) leave a gap in the times instead of moving everything after them earlier.
 * Positions count samples from the start of the stream and may be fractional (a resampled stream's position
 * converted back to the input's rate).
 */
export class SampleTimeline {
  private readonly sampleRate: number;
  /** Frames not yet passed: where each starts in the stream and its timestamp (ms). */
  private readonly frames: Array<{ position: number; timestamp: number }> = [];
  private appended = 0;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
  }

  /** The next `samples` samples of the stream came in one frame stamped `timestamp` (ms). */
  append(samples: number, timestamp: number): void {
    this.frames.push({ position: this.appended, timestamp });
    this.appended += samples;
  }

  /**
   * The time (ms) of the sample at `position`: its frame's timestamp plus its offset in the frame; past the
   * last frame, counted on from it. Positions are asked in increasing order: frames before one are forgotten.
   */
  timeAt(position: number): number {
    while (this.frames.length > 1 && this.frames[1]!.position <= position) this.frames.shift();
    const frame = this.frames[0];
    if (frame === undefined) throw new Error('SampleTimeline.timeAt before any frame was appended');
    return frame.timestamp + ((position - frame.position) / this.sampleRate) * 1000;
  }
}
