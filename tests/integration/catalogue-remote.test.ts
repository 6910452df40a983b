import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline, createAudioFrame, createNode, createVideoFrame, type AudioFrameData, type VideoFrameData } from '@remotemedia/shared';
import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

/** Two tones and a pause, 20 ms frames at 16 kHz: something for every audio analyser to find. */
function audio(): AudioFrameData[] {
  const rate = 16_000;
  return Array.from({ length: 60 }, (_, b) => {
    const samples = new Float32Array(320);
    for (let i = 0; i < samples.length; i++) {
      const t = (b * 320 + i) / rate;
      samples[i] =
        b < 30 ? 0.3 * Math.sin(2 * Math.PI * 697 * t) + 0.3 * Math.sin(2 * Math.PI * 1209 * t) : b < 40 ? 0 : 0.5 * Math.sin(2 * Math.PI * 220 * t);
    }
    return createAudioFrame({ sampleRate: rate, channels: 1, timestamp: b * 20, samples });
  });
}

/** A bright square moving across a textured background. */
function video(): VideoFrameData[] {
  return Array.from({ length: 6 }, (_, n) => {
    const frame = createVideoFrame({ width: 96, height: 64, format: 'rgba', timestamp: n * 40 });
    for (let i = 0; i < 96 * 64; i++) {
      const x = i % 96;
      const y = Math.floor(i / 96);
      const v = x >= 10 + n * 12 && x < 30 + n * 12 && y >= 20 && y < 40 ? 230 : 30 + ((x * 3 + y * 5) % 40);
      frame.data.set([v, v * 0.9, v * 0.5, 255], 4 * i);
    }
    return frame;
  });
}

async function collect(pipeline: Pipeline, input: readonly unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of pipeline.stream(input)) out.push(item);
  return out;
}

describe('the new catalogue nodes on the edge', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;

  beforeAll(async () => {
    edge = await startEdge();
    // Raw video: remote results are compared with local ones byte for byte (JPEG, the data channel's default, is lossy).
    session = await connect(edge.url, { video: { encoding: { codec: 'raw' } } });
  });

  afterAll(async () => {
    session?.close();
    await edge?.stop();
  });

  it.each([
    ['DtmfDetector', {}, audio],
    ['LoudnessMeter', {}, audio],
    ['PitchDetector', {}, audio],
    ['Compressor', { thresholdDb: -20, ratio: 4 }, audio],
    ['BiquadFilter', { type: 'lowpass', frequencyHz: 1000 }, audio],
    ['MotionDetector', { cellSize: 8 }, video],
    ['EdgeDetector', { threshold: 40 }, video],
    ['TimestampOverlay', { scale: 1 }, video],
    ['BrightnessContrast', { brightness: 10, contrast: 1.2 }, video],
  ] as const)('%s gives the same results remotely as locally', async (name, config, input) => {
    const frames = input();
    const local = await collect(new Pipeline([createNode(name, config)]), frames);
    const remote = await collect(new Pipeline([await session.node(name, config)]), frames);
    expect(remote).toEqual(local);
    expect(remote.length).toBeGreaterThan(0);
  });

  it('finds the key, the pitch and the motion it should', async () => {
    const dtmf = (await collect(new Pipeline([await session.node('DtmfDetector')]), audio())) as Array<{
      dtmf: { pressed: Array<{ digit: string }> };
    }>;
    expect(dtmf.flatMap((f) => f.dtmf.pressed.map((k) => k.digit))).toEqual(['1']);
    const pitch = (await collect(new Pipeline([await session.node('PitchDetector')]), audio())) as Array<{ pitch: { frequencyHz: number | null } }>;
    expect(pitch.at(-1)!.pitch.frequencyHz!).toBeCloseTo(220, 0);
    const motion = (await collect(new Pipeline([await session.node('MotionDetector', { cellSize: 8 })]), video())) as Array<{
      motion: { detected: boolean };
    }>;
    expect(motion.map((f) => f.motion.detected)).toEqual([false, true, true, true, true, true]);
  });
});
