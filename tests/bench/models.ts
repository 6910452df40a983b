// `npm run bench:models`: load time and per-frame time of the model nodes' models (Silero VAD on
// onnxruntime-node, RNNoise in WASM), the nodes' cost per input frame locally (resampling and re-chunking
// included), and a remote round trip through a real edge process. Prints a table and writes
// bench-results/models.json. Figures are from one run on a shared machine: compare ratios, not absolutes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connect } from '@remotemedia/browser-sdk/node';
import { registerModelRuntimes } from '@remotemedia/edge-server/models';
import { collectResult, createAudioFrame, createNode, loadAudioModel, type AudioModelStream, type PipelineNode } from '@remotemedia/shared';
import { edgeMetric } from '../support/edgeMetric.ts';
import { repoRoot, startEdge } from '../support/edgeProcess.ts';
import { buildSpeechFixture } from '../support/speechFixture.ts';
import { round, summarize } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FRAMES_PER_ROUND = Number(process.env.BENCH_MODEL_FRAMES ?? 300);

type Summary = ReturnType<typeof summarize>;

async function timeModelFrames(stream: AudioModelStream, source: Float32Array, size: number, offset: number, samples: number[]): Promise<void> {
  for (let n = 0; n < FRAMES_PER_ROUND; n++) {
    const at = ((offset + n) * size) % (source.length - size);
    const frame = source.slice(at, at + size);
    const started = performance.now();
    await stream.run(frame);
    samples.push(performance.now() - started);
  }
}

/** Per input frame of `frameSize` samples, through the whole node (resampling and re-chunking included). */
async function timeNode(
  node: PipelineNode,
  source: Float32Array,
  sampleRate: number,
  frameSize: number,
): Promise<Summary & { realtimeFactor: number }> {
  await node.initialize?.();
  const samples: number[] = [];
  let at = 0;
  for (; at + frameSize <= source.length; at += frameSize) {
    const frame = createAudioFrame({ sampleRate, channels: 1, timestamp: (at / sampleRate) * 1000, samples: source.slice(at, at + frameSize) });
    const started = performance.now();
    await collectResult(await node.process!(frame));
    samples.push(performance.now() - started);
  }
  await collectResult(await node.flush!());
  await node.cleanup?.();
  const busy = samples.reduce((sum, v) => sum + v, 0) / 1000;
  return { ...summarize(samples), realtimeFactor: round(at / sampleRate / busy, 1) };
}

async function main(): Promise<void> {
  registerModelRuntimes();
  const speech16k = buildSpeechFixture({ sampleRate: 16_000, snrDb: 5, noise: 'pinknoise' });
  const speech48k = buildSpeechFixture({ sampleRate: 48_000, snrDb: 5, noise: 'whitenoise' });
  const results: Record<string, unknown> = { machine: { node: process.version, cpus: cpus().length }, when: new Date().toISOString() };

  const loadStarted = performance.now();
  const silero = await loadAudioModel('silero-vad', 'bench');
  const sileroLoadMs = performance.now() - loadStarted;
  const rnnoiseStarted = performance.now();
  const rnnoise = await loadAudioModel('rnnoise', 'bench');
  const rnnoiseLoadMs = performance.now() - rnnoiseStarted;
  results.firstLoadInProcessMs = { sileroVad: round(sileroLoadMs, 1), rnnoise: round(rnnoiseLoadMs, 1) };

  // Interleaved rounds, so a burst of load on the shared machine hits both models alike.
  const sileroStream = silero.open();
  const rnnoiseStream = rnnoise.open();
  const sileroFrames: number[] = [];
  const rnnoiseFrames: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await timeModelFrames(sileroStream, speech16k.noisy, 512, r * FRAMES_PER_ROUND, sileroFrames);
    await timeModelFrames(rnnoiseStream, speech48k.noisy, 480, r * FRAMES_PER_ROUND, rnnoiseFrames);
  }
  results.modelFrameMs = {
    sileroVad512At16k: { ...summarize(sileroFrames), audioMs: 32 },
    rnnoise480At48k: { ...summarize(rnnoiseFrames), audioMs: 10 },
  };

  results.nodeFrameMs = {
    sileroVad16k20ms: await timeNode(createNode('SileroVAD'), speech16k.noisy, 16_000, 320),
    sileroVad48k20ms: await timeNode(createNode('SileroVAD'), speech48k.noisy, 48_000, 960),
    noiseSuppression48k10ms: await timeNode(createNode('NoiseSuppression'), speech48k.noisy, 48_000, 480),
    noiseSuppression16k10ms: await timeNode(createNode('NoiseSuppression'), speech16k.noisy, 16_000, 160),
  };

  const edge = await startEdge();
  try {
    const session = await connect(edge.url, { reconnect: false });
    // Interleaved rounds, with Gain (no model) as the baseline of a built-in's round trip.
    const remoteNodes = [
      ['Gain (baseline)', await session.node('Gain', { gainDb: 0 }), speech16k, 320],
      ['SileroVAD', await session.node('SileroVAD'), speech16k, 320],
      ['NoiseSuppression', await session.node('NoiseSuppression'), speech48k, 480],
    ] as const;
    const remoteSamples = new Map<string, number[]>(remoteNodes.map(([name]) => [name, []]));
    for (let r = 0; r < ROUNDS * 2; r++) {
      for (const [name, node, fixture, frameSize] of remoteNodes) {
        for (let n = 0; n < 50; n++) {
          const at = (r * 50 + n) * frameSize;
          const frame = createAudioFrame({
            sampleRate: fixture.sampleRate,
            channels: 1,
            timestamp: (at / fixture.sampleRate) * 1000,
            samples: fixture.noisy.slice(at, at + frameSize),
          });
          const started = performance.now();
          await node.process(frame);
          if (r > 0) remoteSamples.get(name)!.push(performance.now() - started);
        }
      }
    }
    const remote = Object.fromEntries([...remoteSamples].map(([name, samples]) => [name, summarize(samples)]));
    results.remoteRoundTripMs = remote;
    results.edgeMetrics = {
      sileroLoadSeconds: await edgeMetric(edge.url, 'remotemedia_model_load_seconds{model="silero-vad"}'),
      rnnoiseLoadSeconds: await edgeMetric(edge.url, 'remotemedia_model_load_seconds{model="rnnoise"}'),
    };
    session.close();
  } finally {
    await edge.stop();
  }

  console.table({
    'Silero VAD model, 512 samples (32 ms)': (results.modelFrameMs as Record<string, Summary>).sileroVad512At16k,
    'RNNoise model, 480 samples (10 ms)': (results.modelFrameMs as Record<string, Summary>).rnnoise480At48k,
    ...(results.nodeFrameMs as Record<string, Summary>),
    ...Object.fromEntries(Object.entries(results.remoteRoundTripMs as Record<string, Summary>).map(([k, v]) => [`remote ${k}`, v])),
  });
  console.log('first load in this process (ms):', results.firstLoadInProcessMs, 'edge worker load (s):', results.edgeMetrics);
  mkdirSync(`${repoRoot}bench-results`, { recursive: true });
  writeFileSync(`${repoRoot}bench-results/models.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('written to bench-results/models.json');
}

await main();
