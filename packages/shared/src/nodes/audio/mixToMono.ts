/** Averages interleaved channels (a mono input is returned as is). */
export function mixToMono(samples: Float32Array, channels: number): Float32Array {
  if (channels === 1) return samples;
  const frames = samples.length / channels;
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    mono[i] = sum / channels;
  }
  return mono;
}
