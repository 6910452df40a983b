/**
 * Share of a block's energy at one frequency (the Goertzel algorithm: one DFT bin, no FFT): about 1 for a pure
 * tone at that frequency, about 0 for silence or other content. Scaled so a sinusoid's share does not depend
 * on its level or the block length.
 */
export function toneShare(block: ArrayLike<number>, frequencyHz: number, sampleRate: number, energy = blockEnergy(block)): number {
  if (energy <= 0) return 0;
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < block.length; i++) {
    const s = block[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return (2 * power) / (block.length * energy);
}

export function blockEnergy(block: ArrayLike<number>): number {
  let energy = 0;
  for (let i = 0; i < block.length; i++) energy += block[i]! * block[i]!;
  return energy;
}
