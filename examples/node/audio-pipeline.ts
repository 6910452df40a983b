// Run: EDGE_URL=http://127.0.0.1:8080 node --import tsx examples/node/audio-pipeline.ts
// A pipeline mixing a local node and a built-in running natively on the edge.
import { connect } from '@remotemedia/browser-sdk/node';
import { Pipeline, audioLevels, createAudioFrame, createNode, type AudioFrameData } from '@remotemedia/shared';

const session = await connect(process.env.EDGE_URL ?? 'http://127.0.0.1:8080');
try {
  const sampleRate = 48_000;
  const blocks = Array.from({ length: 50 }, (_, b) => {
    const samples = new Float32Array(960);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (b * 960 + i)) / sampleRate);
    return createAudioFrame({ sampleRate, channels: 1, timestamp: b * 20, samples });
  });
  const pipeline = new Pipeline([createNode('Gain', { gainDb: -6 }), await session.node('Resample', { targetSampleRate: 16_000 })]);
  const out: AudioFrameData[] = [];
  for await (const frame of pipeline.stream(blocks)) out.push(frame as AudioFrameData);
  const all = new Float32Array(out.reduce((n, f) => n + f.samples.length, 0));
  out.reduce((offset, f) => (all.set(f.samples, offset), offset + f.samples.length), 0);
  const whole = createAudioFrame({ sampleRate: out[0]!.sampleRate, channels: 1, samples: all });
  console.log(`resampled on the edge: ${all.length} samples at ${whole.sampleRate} Hz`);
  console.log(`level: ${audioLevels(whole).rmsDb.toFixed(1)} dBFS RMS`);
} finally {
  session.close();
}
