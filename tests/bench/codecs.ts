// `npm run bench:codecs`: which JPEG library the edge (and the Node SDK) should use, and what JPEG buys over raw
// frames on each transport. Part 1 times each candidate library, interleaved round by round so load from other
// work on the machine hits them alike; part 2 echoes camera-like frames through a sandboxed node on a real edge
// from the Node SDK, raw and JPEG, over the data channel and the WebSocket, again one frame of each in turn.
// Prints tables and writes bench-results/codecs.json. One run on a shared machine: compare ratios.
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import encodeJsquash, { init as initJsquashEncoder } from '@jsquash/jpeg/encode.js';
import { connect, type RemoteNode, type RemoteSession, type VideoEncoding, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { decodeJpegToRgba, encodeJpeg } from '@remotemedia/edge-server/media';
import jpegJs from 'jpeg-js';
import sharp from 'sharp';
import { deploySource } from '../support/deploySource.ts';
import { repoRoot, startEdge } from '../support/edgeProcess.ts';
import { cameraPattern } from '../support/testPattern.ts';
import { round, summarize } from './stats.ts';

const LIBRARY_ROUNDS = Number(process.env.BENCH_CODEC_ROUNDS ?? 30);
const ECHO_FRAMES = Number(process.env.BENCH_FRAMES ?? 60);
const SIZES = [
  [320, 240],
  [640, 480],
] as const;
const QUALITY = 0.8;

type Timed = () => Promise<unknown>;

async function timeOnce(run: Timed): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

async function libraries(width: number, height: number): Promise<Record<string, unknown>> {
  const rgba = cameraPattern(width, height, 3).data;
  const reference = await encodeJpeg(rgba, width, height, 4, QUALITY);
  const image = { data: rgba, width, height, colorSpace: 'srgb' } as unknown as ImageData;
  const candidates: Record<string, Timed> = {
    'encode sharp': () =>
      sharp(rgba, { raw: { width, height, channels: 4 } })
        .jpeg({ quality: QUALITY * 100 })
        .toBuffer(),
    'encode @jsquash/jpeg': () => encodeJsquash(image, { quality: QUALITY * 100 }),
    'encode jpeg-js': async () => jpegJs.encode({ data: rgba, width, height }, QUALITY * 100),
    'decode @jsquash/jpeg': () => decodeJpegToRgba(reference),
    'decode sharp': () => sharp(reference).raw().toBuffer(),
    'decode jpeg-js': async () => jpegJs.decode(reference, { useTArray: true }),
  };
  // Warm-up: WASM instantiation, libvips start.
  for (const run of Object.values(candidates)) await run();
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((name) => [name, []]));
  for (let round = 0; round < LIBRARY_ROUNDS; round++) {
    for (const [name, run] of Object.entries(candidates)) samples[name]!.push(await timeOnce(run));
  }
  return {
    jpegBytes: reference.byteLength,
    ...Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, summarize(values)])),
  };
}

const ECHO = `export class Echo { process(frame) { return frame; } }`;

interface EchoConfig {
  label: string;
  transport: 'datachannel' | 'websocket';
  encoding: VideoEncoding;
  width: number;
  height: number;
}

interface EchoRun {
  config: EchoConfig;
  session: RemoteSession;
  node: RemoteNode;
  frame: VideoFrameData;
  samples: number[];
  wireBytes: number;
}

async function echoes(edgeUrl: string): Promise<Record<string, unknown>> {
  const configs: EchoConfig[] = [];
  for (const [width, height] of SIZES) {
    for (const transport of ['datachannel', 'websocket'] as const) {
      for (const encoding of [{ codec: 'raw' }, { codec: 'jpeg', quality: QUALITY }] as const) {
        configs.push({ label: `${width}x${height} ${transport} ${encoding.codec}`, transport, encoding, width, height });
      }
    }
  }
  const runs: EchoRun[] = [];
  for (const config of configs) {
    const session = await connect(edgeUrl, { transport: config.transport, reconnect: false, video: { encoding: config.encoding, adapt: false } });
    const node = await deploySource(session, ECHO);
    // i420: what a camera gives, and the cheaper raw form (1.5 bytes per pixel).
    const frame = cameraPattern(config.width, config.height, 4, 'i420');
    for (let i = 0; i < 5; i++) await node.process(frame);
    runs.push({ config, session, node, frame, samples: [], wireBytes: session.stats().bytesSent });
  }
  for (const run of runs) run.wireBytes = run.session.stats().bytesSent;
  for (let i = 0; i < ECHO_FRAMES; i++) {
    for (const run of runs) run.samples.push(await timeOnce(() => run.node.process(run.frame)));
  }
  const results: Record<string, unknown> = {};
  for (const run of runs) {
    const summary = summarize(run.samples);
    results[run.config.label] = {
      ...summary,
      framesPerSecondOneInFlight: round(1000 / summary.mean, 1),
      bytesSentPerFrame: round((run.session.stats().bytesSent - run.wireBytes) / ECHO_FRAMES, 0),
    };
    run.session.close();
  }
  return results;
}

/** The encoder's WASM from its package file, as the edge loads the decoder's (nothing fetched). */
async function initEncoder(): Promise<void> {
  const wasmPath = createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/enc/mozjpeg_enc.wasm');
  const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } };
  await (initJsquashEncoder as unknown as (module: object) => Promise<void>)(new wasm.Module(readFileSync(wasmPath)));
}

async function main(): Promise<void> {
  await initEncoder();
  const report: Record<string, unknown> = { rounds: LIBRARY_ROUNDS, echoFrames: ECHO_FRAMES, quality: QUALITY, libraries: {}, echo: {} };
  const edge = await startEdge();
  try {
    for (const [width, height] of SIZES) {
      (report.libraries as Record<string, unknown>)[`${width}x${height}`] = await libraries(width, height);
    }
    report.echo = await echoes(edge.url);
  } finally {
    await edge.stop();
  }
  for (const [size, figures] of Object.entries(report.libraries as Record<string, Record<string, unknown>>)) {
    console.log(`\nJPEG libraries at ${size}, quality ${QUALITY} (${(figures.jpegBytes as number) / 1000} KB), ms:`);
    console.table(Object.fromEntries(Object.entries(figures).filter(([name]) => name !== 'jpegBytes')));
  }
  console.log('\nEcho through a sandboxed node from the Node SDK (i420 frames; raw vs JPEG q0.8), ms per round trip:');
  console.table(report.echo);
  mkdirSync(`${repoRoot}/bench-results`, { recursive: true });
  writeFileSync(`${repoRoot}/bench-results/codecs.json`, `${JSON.stringify(report, null, 2)}\n`);
  console.log('wrote bench-results/codecs.json');
}

await main();
