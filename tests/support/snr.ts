/**
 * Scale-invariant signal-to-noise ratio (dB) of `estimate` against the clean `reference`: the estimate is
 * projected onto the reference, and what is left over counts as noise. A denoiser that also changes the
 * speech's level is not penalised for the level, only for distortion and remaining noise.
 */
export function siSnrDb(estimate: Float32Array, reference: Float32Array): number {
  if (estimate.length !== reference.length) throw new Error(`lengths differ: ${estimate.length} vs ${reference.length}`);
  let dot = 0;
  let energy = 0;
  for (let i = 0; i < reference.length; i++) {
    dot += estimate[i]! * reference[i]!;
    energy += reference[i]! * reference[i]!;
  }
  const scale = dot / energy;
  let target = 0;
  let residual = 0;
  for (let i = 0; i < reference.length; i++) {
    const projected = scale * reference[i]!;
    target += projected * projected;
    residual += (estimate[i]! - projected) ** 2;
  }
  return 10 * Math.log10(target / residual);
}
