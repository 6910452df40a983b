// `npm run bench`: starts a real edge process, measures over each transport, prints a table and writes
// bench-results/bench.json. Figures are medians and tails of one run on a shared machine: compare ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connect, createVideoFrame, packSources, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, repoRoot } from '../support/edgeProcess.ts';
import { benchCompute, printComputeTable } from './compute.ts';
import { COMPUTE_VARIANTS } from './computeVariants.ts';
import { callGoalRows } from './calls/callGoals.ts';
import { timeDeploys } from './calls/timeDeploys.ts';
import { timeFirstCalls } from './calls/timeFirstCalls.ts';
import { timeMethodCalls } from './calls/timeMethodCalls.ts';
import { round, summarize } from './stats.ts';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 150);

const GRAYSCALE = `export class Grayscale {
  process(frame) {
    const d = frame.data; const n = d.length | 0;
    for (let i = 0; i < n; i += 4) { const y = (d[i] * 77 + d[i + 1] * 150 + d[i + 2] * 29) >> 8; d[i] = y; d[i + 1] = y; d[i + 2] = y; }
    return frame;
  }
}`;
const GRAYSCALE_I420 = `export class Grayscale { process(frame) { frame.data.fill(128, (frame.width * frame.height) | 0); return frame; } }`;
const ECHO = `export class Echo { process(frame) { return frame; } }`;

async function timeFrames(session: RemoteSession, source: string, name: string, format: 'rgba' | 'i420' = 'rgba'): Promise<Record<string, number>> {
  const pkg = await packSources({ sources: { 'node.js': source }, entry: 'node.js', exportName: name });
  const node = await session.deploy(pkg);
  const frame = createVideoFrame({ width: 320, height: 240, format });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31) & 255;
  for (let i = 0; i < 10; i++) await node.process(frame);
  const samples: number[] = [];
  const started = performance.now();
  for (let i = 0; i < FRAMES; i++) {
    const t = performance.now();
    await node.process(frame);
    samples.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  await node.dispose();
  return { ...summarize(samples), framesPerSecond: round(FRAMES / elapsed, 1) };
}

async function main(): Promise<void> {
  // The per-session rate limit (2,000 messages/s by default) is raised so that it does not cap the call rate.
  const edge = await startEdge(['--sandbox-call-timeout-ms', '5000', '--messages-per-second', '100000']);
  const results: Record<string, unknown> = {
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    when: new Date().toISOString(),
    calls: CALLS,
    frames: FRAMES,
  };
  try {
    for (const transport of ['datachannel', 'websocket'] as const) {
      const session = await connect(edge.url, { transport, reconnect: false, video: { encoding: { codec: 'raw' } } });
      const connectStart = performance.now();
      results[transport] = {
        methodCallMs: await timeMethodCalls(session, CALLS),
        methodCallConcurrentMs: await timeMethodCalls(session, CALLS, 4),
        firstCallMs: await timeFirstCalls(session),
        echoFrame320x240RgbaMs: await timeFrames(session, ECHO, 'Echo'),
        echoFrame320x240I420Ms: await timeFrames(session, ECHO, 'Echo', 'i420'),
        grayscaleInQuickJs320x240Ms: await timeFrames(session, GRAYSCALE, 'Grayscale'),
        grayscaleI420InQuickJs320x240Ms: await timeFrames(session, GRAYSCALE_I420, 'Grayscale', 'i420'),
        deployMs: await timeDeploys(session),
        seconds: round((performance.now() - connectStart) / 1000, 1),
      };
      session.close();
      console.log(`${transport}:`, JSON.stringify(results[transport], null, 1));
    }
  } finally {
    await edge.stop();
  }
  // Node time of per-pixel effects (plain JS in V8, a loop in the sandbox, host kernels), in this process.
  const compute = await benchCompute(COMPUTE_VARIANTS);
  results.compute = compute;
  printComputeTable(compute);
  const goals = (['websocket', 'datachannel'] as const).flatMap((t) => callGoalRows(t, results[t] as Record<string, Record<string, unknown>>));
  console.table(goals);
  results.callGoals = goals;
  mkdirSync(`${repoRoot}bench-results`, { recursive: true });
  writeFileSync(`${repoRoot}bench-results/bench.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to bench-results/bench.json`);
}

await main();
// werift keeps UDP sockets referenced after close; the figures are written, so end here.
process.exit(0);
