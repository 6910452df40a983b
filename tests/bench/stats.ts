/** Nearest-rank percentile of already-collected samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: readonly number[]): { n: number; p50: number; p99: number; mean: number } {
  const mean = samples.reduce((s, v) => s + v, 0) / Math.max(1, samples.length);
  return { n: samples.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)), mean: round(mean) };
}

export function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
