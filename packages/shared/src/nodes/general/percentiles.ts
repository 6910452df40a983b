/** The last `capacity` values of a measure, for p50/p99 over a sliding window (bounded memory on endless streams). */
export class RollingPercentiles {
  private readonly values: number[] = [];

  constructor(private readonly capacity: number) {}

  add(value: number): void {
    this.values.push(value);
    if (this.values.length > this.capacity) this.values.shift();
  }

  get count(): number {
    return this.values.length;
  }

  /** Nearest-rank percentile (0-100) of the window; NaN before any value. */
  percentile(p: number): number {
    if (this.values.length === 0) return Number.NaN;
    const sorted = [...this.values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  }
}
