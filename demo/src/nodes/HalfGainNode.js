// An audio node: frames carry interleaved Float32 samples in [-1, 1]. Halving them is -6.02 dB.
export class HalfGainNode {
  process(frame) {
    const samples = frame.samples;
    for (let i = 0; i < samples.length; i++) samples[i] *= 0.5;
    return frame;
  }
}
