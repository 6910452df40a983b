/** Linear levels of interleaved samples, overall and per channel. */
export interface LinearLevels {
  rms: number;
  peak: number;
  channelRms: number[];
  channelPeak: number[];
}

/** Levels of frames `[startFrame, endFrame)` of interleaved `samples` (a frame = one sample per channel). */
export function measureLevels(samples: Float32Array, channels: number, startFrame = 0, endFrame = samples.length / channels): LinearLevels {
  const sumSquares = new Float64Array(channels);
  const channelPeak = new Array<number>(channels).fill(0);
  for (let frame = startFrame; frame < endFrame; frame++) {
    for (let channel = 0; channel < channels; channel++) {
      const value = samples[frame * channels + channel]!;
      sumSquares[channel]! += value * value;
      const magnitude = Math.abs(value);
      if (magnitude > channelPeak[channel]!) channelPeak[channel] = magnitude;
    }
  }
  const frames = Math.max(0, endFrame - startFrame);
  const channelRms = Array.from(sumSquares, (sum) => (frames > 0 ? Math.sqrt(sum / frames) : 0));
  const total = sumSquares.reduce((a, b) => a + b, 0);
  return {
    rms: frames > 0 ? Math.sqrt(total / (frames * channels)) : 0,
    peak: Math.max(0, ...channelPeak),
    channelRms,
    channelPeak,
  };
}
