/**
 * The per-sample coefficient of a one-pole smoother that covers ~63% of a step in `ms` (0 ms: follows at once).
 * Attack and release times of the dynamics nodes are given this way, as audio tools label them.
 */
export function smoothingCoefficient(ms: number, sampleRate: number): number {
  return ms <= 0 ? 0 : Math.exp(-1000 / (ms * sampleRate));
}

/** Largest magnitude across the channels of frame `index` of interleaved samples: the channels are linked. */
export function linkedPeak(samples: Float32Array, channels: number, index: number): number {
  let peak = 0;
  for (let c = 0; c < channels; c++) {
    const magnitude = Math.abs(samples[index * channels + c]!);
    if (magnitude > peak) peak = magnitude;
  }
  return peak;
}
