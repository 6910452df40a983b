import { createAudioFrame, type AudioFrameData } from '@remotemedia/shared/frames';

/** `seconds` of a mono sine at `frequency` Hz and peak `amplitude`. */
export function sine(frequency: number, amplitude: number, sampleRate: number, seconds: number): AudioFrameData {
  const samples = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return createAudioFrame({ sampleRate, channels: 1, samples });
}

/** The samples of a mono frame between two fractions of its length (to leave filter edge effects out). */
export function middle(frame: AudioFrameData, from = 0.1, to = 0.9): Float32Array {
  const length = frame.samples.length / frame.channels;
  return frame.samples.subarray(Math.round(length * from), Math.round(length * to));
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/**
 * Frequency from rising zero crossings, each located by linear interpolation between the samples around it:
 * (crossings - 1) full periods lie between the first and the last, which is far more precise than counting
 * crossings in a fixed window.
 */
export function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    if (a < 0 && b >= 0) crossings.push(i - 1 + a / (a - b));
  }
  if (crossings.length < 2) return 0;
  return ((crossings.length - 1) * sampleRate) / (crossings[crossings.length - 1]! - crossings[0]!);
}
