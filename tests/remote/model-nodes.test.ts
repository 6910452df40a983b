import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { registerModelRuntimes } from '@remotemedia/edge-server/models';
import { Pipeline, createAudioFrame, createNode, type AudioFrameData, type PipelineNode } from '@remotemedia/shared';
import { edgeMetric } from '../support/edgeMetric.ts';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture.ts';

function frames(fixture: SpeechFixture, frameSize: number): AudioFrameData[] {
  const out: AudioFrameData[] = [];
  for (let at = 0; at < fixture.noisy.length; at += frameSize) {
    out.push(
      createAudioFrame({
        sampleRate: fixture.sampleRate,
        channels: 1,
        timestamp: (at / fixture.sampleRate) * 1000,
        samples: fixture.noisy.slice(at, at + frameSize),
      }),
    );
  }
  return out;
}

async function collect(node: PipelineNode, input: AudioFrameData[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([node]).stream(input)) out.push(item);
  return out;
}

describe('model nodes on a real edge process, against the same nodes run locally in Node', () => {
  let edge: EdgeProcess;
  let sessions: RemoteSession[];
  let speech16k: SpeechFixture;
  let speech48k: SpeechFixture;

  beforeAll(async () => {
    registerModelRuntimes();
    speech16k = buildSpeechFixture({ sampleRate: 16_000, snrDb: 5, noise: 'pinknoise' });
    speech48k = buildSpeechFixture({ sampleRate: 48_000, snrDb: 5, noise: 'whitenoise' });
    edge = await startEdge();
    sessions = [await connect(edge.url), await connect(edge.url)];
  }, 60_000);

  afterAll(async () => {
    for (const session of sessions ?? []) session.close();
    await edge?.stop();
  });

  it("lists both with their model and config schema in the edge's catalogue", async () => {
    const nodes = await sessions[0]!.listNodes();
    expect(nodes.find((n) => n.name === 'SileroVAD')).toMatchObject({ model: { name: 'silero-vad', runsOn: ['edge', 'node'] }, remote: true });
    expect(nodes.find((n) => n.name === 'NoiseSuppression')).toMatchObject({ model: { name: 'rnnoise', sampleRate: 48_000, frameSamples: 480 } });
    expect(nodes.find((n) => n.name === 'SileroVAD')!.configSchema.properties.negativeThreshold).toMatchObject({ default: 0.35 });
  });

  it('SileroVAD gives the same events remotely as locally, in two sessions sharing one loaded model', async () => {
    const input = frames(speech16k, 320);
    const local = await collect(createNode('SileroVAD', { emitProbabilities: true }), input);
    const remote = [
      await collect(await sessions[0]!.node('SileroVAD', { emitProbabilities: true }), input),
      await collect(await sessions[1]!.node('SileroVAD', { emitProbabilities: true }), input),
    ];
    const segments = (items: unknown[]) => items.filter((o) => (o as { type: string }).type !== 'speech-probability');
    const probabilities = (items: unknown[]) =>
      items.filter((o) => (o as { type: string }).type === 'speech-probability').map((o) => (o as { probability: number }).probability);
    expect(segments(local)).toHaveLength(4);
    for (const items of remote) {
      expect(segments(items)).toEqual(segments(local));
      const remoteProbabilities = probabilities(items);
      expect(remoteProbabilities).toHaveLength(probabilities(local).length);
      remoteProbabilities.forEach((p, n) => expect(p).toBeCloseTo(probabilities(local)[n]!, 5));
    }
    // Loaded once for the edge's built-in worker, whatever the number of sessions and nodes.
    expect(await edgeMetric(edge.url, 'remotemedia_model_loads_total{model="silero-vad",result="ok"}')).toBe(1);
    expect(await edgeMetric(edge.url, 'remotemedia_model_load_seconds{model="silero-vad"}')).toBeGreaterThan(0);
    expect(await edgeMetric(edge.url, 'remotemedia_model_frames_total{model="silero-vad"}')).toBe(2 * probabilities(local).length);
    expect(await edgeMetric(edge.url, 'remotemedia_model_frame_seconds_count{model="silero-vad"}')).toBe(2 * probabilities(local).length);
  }, 120_000);

  it('answers input it cannot take with INVALID_INPUT and keeps the node and the other session working', async () => {
    const vad = await sessions[0]!.node('SileroVAD', { emitProbabilities: true });
    const tooSlow = createAudioFrame({ sampleRate: 4000, channels: 1, samples: new Float32Array(400) });
    await expect(vad.process(tooSlow)).rejects.toMatchObject({ code: ErrorCode.InvalidInput, message: expect.stringContaining('8000 to 192000 Hz') });
    const badConfig = sessions[0]!.node('SileroVAD', { threshold: 0.3, negativeThreshold: 0.6 });
    await expect(badConfig).rejects.toMatchObject({ code: ErrorCode.InvalidConfig, message: expect.stringContaining('negativeThreshold') });
    // The same node then takes valid audio: one probability per 32 ms.
    const valid = createAudioFrame({ sampleRate: 16_000, channels: 1, samples: speech16k.noisy.slice(0, 1024) });
    expect([...(await vad.process(valid))]).toHaveLength(2);
    const other = await sessions[1]!.node('NoiseSuppression');
    expect([...(await other.process(createAudioFrame({ sampleRate: 48_000, channels: 1, samples: new Float32Array(480) })))]).toHaveLength(1);
  }, 60_000);

  it('NoiseSuppression gives the same audio remotely as locally, frame for frame', async () => {
    const input = frames(speech48k, 960);
    const local = (await collect(createNode('NoiseSuppression'), input)) as AudioFrameData[];
    const remote = (await collect(await sessions[0]!.node('NoiseSuppression'), input)) as AudioFrameData[];
    expect(remote).toHaveLength(input.length + 1);
    expect(remote.map((f) => [f.timestamp, f.samples.length])).toEqual(local.map((f) => [f.timestamp, f.samples.length]));
    let maxDifference = 0;
    remote.forEach((frame, n) => {
      frame.samples.forEach((v, i) => {
        maxDifference = Math.max(maxDifference, Math.abs(v - local[n]!.samples[i]!));
      });
    });
    expect(maxDifference).toBeLessThan(1e-6);
    expect(await edgeMetric(edge.url, 'remotemedia_model_loads_total{model="rnnoise",result="ok"}')).toBe(1);
    // 480-sample model frames: the whole signal, plus the padding and drain that flush pushes through.
    expect(await edgeMetric(edge.url, 'remotemedia_model_frames_total{model="rnnoise"}')).toBeGreaterThanOrEqual(speech48k.noisy.length / 480);
  }, 120_000);
});
