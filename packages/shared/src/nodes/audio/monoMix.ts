import type { AudioFrameData } from '../../frames/AudioFrameData.ts';

/** The channels averaged into one: what detectors that look for a sound anywhere in the mix analyse. */
export function monoMix(frame: AudioFrameData): Float32Array {
  const { samples, channels } = frame;
  if (channels === 1) return samples;
  const mono = new Float32Array(samples.length / channels);
  for (let n = 0; n < mono.length; n++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[n * channels + c]!;
    mono[n] = sum / channels;
  }
  return mono;
}
