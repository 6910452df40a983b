/** RMS and peak of interleaved samples in dBFS (a full-scale sine: RMS -3.01), floored at -120. */
export function levelsDb(samples: Float32Array): { rmsDb: number; peakDb: number; sumSquares: number } {
  let sumSquares = 0;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    sumSquares += value * value;
    const magnitude = Math.abs(value);
    if (magnitude > peak) peak = magnitude;
  }
  const rms = samples.length > 0 ? Math.sqrt(sumSquares / samples.length) : 0;
  return { rmsDb: toDb(rms), peakDb: toDb(peak), sumSquares };
}

function toDb(linear: number): number {
  return linear > 0 ? Math.max(-120, 20 * Math.log10(linear)) : -120;
}
