/** Keeps the last `capacity` round-trip times and answers percentiles over them (recent behaviour, bounded memory). */
export class RoundTripStats {
  private readonly samples: Float64Array;
  private count = 0;
  private next = 0;
  private lastMs = Number.NaN;

  constructor(capacity = 512) {
    this.samples = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.samples.length;
    this.count = Math.min(this.count + 1, this.samples.length);
    this.lastMs = ms;
  }

  get size(): number {
    return this.count;
  }

  get last(): number {
    return this.lastMs;
  }

  /** Nearest-rank percentile, `p` in [0, 100]; NaN before the first sample. */
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN;
    const sorted = Array.from(this.samples.subarray(0, this.count)).sort((a, b) => a - b);
    const rank = Math.min(this.count - 1, Math.max(0, Math.ceil((p / 100) * this.count) - 1));
    return sorted[rank]!;
  }
}
