/**
 * Interleaved samples with `from` channels as `to` channels: averaged down to mono, a mono source copied to
 * every output channel, otherwise channels kept or dropped by index (zeros for channels that are missing).
 */
export function mixChannels(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const frames = samples.length / from;
  const out = new Float32Array(frames * to);
  for (let f = 0; f < frames; f++) {
    if (to === 1) {
      let sum = 0;
      for (let c = 0; c < from; c++) sum += samples[f * from + c]!;
      out[f] = sum / from;
    } else if (from === 1) {
      out.fill(samples[f]!, f * to, f * to + to);
    } else {
      for (let c = 0; c < Math.min(from, to); c++) out[f * to + c] = samples[f * from + c]!;
    }
  }
  return out;
}
