/**
 * A growable first-in first-out queue of Float32 samples: audio arrives in frames of any size and leaves in
 * the sizes a model or a frame needs. Amortised O(1) per sample: the backing array doubles when full, and
 * consumed space at its front is reclaimed by moving the live samples down.
 */
export class SampleFifo {
  private data = new Float32Array(1024);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(samples: Float32Array): void {
    if (this.end + samples.length > this.data.length) {
      const live = this.length;
      if (live + samples.length > this.data.length) {
        const next = new Float32Array(Math.max(live + samples.length, this.data.length * 2));
        next.set(this.data.subarray(this.start, this.end));
        this.data = next;
      } else {
        this.data.copyWithin(0, this.start, this.end);
      }
      this.start = 0;
      this.end = live;
    }
    this.data.set(samples, this.end);
    this.end += samples.length;
  }

  /** Removes and returns the oldest `count` samples (a copy); `count` must not exceed `length`. */
  take(count: number): Float32Array {
    if (count > this.length) throw new RangeError(`cannot take ${count} samples from a queue holding ${this.length}`);
    const out = this.data.slice(this.start, this.start + count);
    this.start += count;
    return out;
  }
}
