import type { BiquadCoefficients } from './biquad.ts';

/**
 * The K-weighting of ITU-R BS.1770 (a high shelf of about +4 dB above 1.5 kHz, then a high-pass near 38 Hz),
 * designed for any sample rate from the standard's analog parameters, so it matches the published 48 kHz
 * coefficients there and stays correct at 44.1 kHz, 16 kHz and the rest.
 */
export function kWeightingSections(sampleRate: number): [BiquadCoefficients, BiquadCoefficients] {
  // Stage 1: the head's acoustic effect, a shelf.
  const shelfHz = 1681.974450955533;
  const shelfGainDb = 3.999843853973347;
  const shelfQ = 0.7071752369554196;
  let k = Math.tan((Math.PI * shelfHz) / sampleRate);
  const vh = 10 ** (shelfGainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / shelfQ + k * k;
  const shelf: BiquadCoefficients = {
    b0: (vh + (vb * k) / shelfQ + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / shelfQ + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / shelfQ + k * k) / a0,
  };
  // Stage 2: the RLB high-pass.
  const passHz = 38.13547087602444;
  const passQ = 0.5003270373238773;
  k = Math.tan((Math.PI * passHz) / sampleRate);
  a0 = 1 + k / passQ + k * k;
  const highPass: BiquadCoefficients = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / passQ + k * k) / a0 };
  return [shelf, highPass];
}
