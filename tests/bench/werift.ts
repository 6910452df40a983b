// `npm run bench:werift`: the patched werift (installed) against a pristine copy of the same version
// (unpacked from npm's cache), interleaved in one run, on two paths:
//   - werift <-> werift: this process sends frames of 40 KB, 115 KB and 460 KB as 64 KiB messages (the
//     project's chunk size) to an echo peer in a child process, one frame in flight;
//   - Chromium -> edge: a headless Chromium page sends the same frames through the SDK over the data
//     channel to a real edge process, to the built-in PassThrough node and back.
// Prints a table and writes bench-results/werift.json: fps, round trip p50/p99 and CPU per frame. The
// machine is shared: compare the two variants within one run (medians and ratios), not across runs.
//
// Environment: BENCH_ROUNDS (3), BENCH_SECONDS per cell (2), BENCH_CPU_PROF=<dir> to run both edges with
// `node --cpu-prof` (one subdirectory per edge) and print the top self-time functions of their main threads.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { RTCDataChannel } from 'werift';
import { DEFAULT_LIMITS } from '@remotemedia/shared';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';
import { installedWeriftDir, unpackPristineWerift } from '../support/pristineWerift.ts';
import { sdkPageScript } from '../support/sdkPageScript.ts';
import { createOfferSdp, createTestPeer, type WeriftModule } from '../support/weriftPair.ts';
import { cpuProfileSummary } from './cpuProfileSummary.ts';
import { percentile, round } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;
const MAX_FRAMES_PER_CELL = 500;
/** A frame whose echo takes longer than this has stalled for good: stop the bench rather than hang. */
const FRAME_TIMEOUT_MS = 15_000;
/** 640x480 JPEG with sensor noise (~40 KB), 320x240 I420, 640x480 I420. */
const SIZES = [40_000, 115_200, 460_800] as const;
const VARIANTS = ['patched', 'unpatched'] as const;
type Variant = (typeof VARIANTS)[number];
type Path = 'werift-werift' | 'chromium-edge';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const useWeriftDir = join(benchDir, 'useWeriftDir.mjs');
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

interface CellRun {
  rttMs: number[];
  elapsedMs: number;
  cpuMs: number;
}

interface Link {
  run(size: number): Promise<CellRun>;
  close(): Promise<void>;
}

/** werift <-> werift: a peer here and an echo peer in a child process, both from the variant's werift. */
async function startWeriftLink(variant: Variant, weriftDir: string): Promise<Link> {
  const entry = pathToFileURL(join(weriftDir, 'lib', 'index.mjs')).href;
  const werift = (await import(entry)) as WeriftModule;
  const child: ChildProcess = fork(join(benchDir, 'weriftEchoPeer.ts'), [], {
    execArgv: [...FROM_SOURCES, '--import', useWeriftDir],
    env: { ...process.env, REMOTEMEDIA_WERIFT_DIR: weriftDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const peer = createTestPeer(werift);
  const channel = peer.createDataChannel('bench', { ordered: true });
  const opened = new Promise<void>((resolve) => channel.stateChanged.subscribe((state) => state === 'open' && resolve()));
  const answer = new Promise<{ sdp: string; werift: string }>((resolve, reject) => {
    child.once('message', (message: { type: string; sdp?: string; werift?: string; message?: string }) => {
      if (message.type === 'answer') resolve({ sdp: message.sdp!, werift: message.werift! });
      else reject(new Error(`echo peer failed: ${message.message}`));
    });
    child.once('exit', (code) => reject(new Error(`echo peer exited with ${code}`)));
  });
  child.send({ type: 'offer', sdp: await createOfferSdp(peer) });
  const { sdp, werift: childWerift } = await answer;
  if (childWerift !== entry) throw new Error(`the ${variant} echo peer loaded ${childWerift}, not ${entry}`);
  await peer.setRemoteDescription({ type: 'answer', sdp });
  await opened;
  return {
    run: async (size) => {
      const cpuBefore = ownCpuMs() + processCpuMs(child.pid!);
      const result = await echoOverChannel(channel, size);
      return { ...result, cpuMs: ownCpuMs() + processCpuMs(child.pid!) - cpuBefore };
    },
    close: async () => {
      await peer.close().catch(() => undefined);
      child.disconnect();
    },
  };
}

/** Sends frames of `size` bytes as 64 KiB messages and waits for all of them to come back, one frame at a time. */
async function echoOverChannel(channel: RTCDataChannel, size: number): Promise<Omit<CellRun, 'cpuMs'>> {
  const frame = Buffer.alloc(size);
  for (let i = 0; i < size; i++) frame[i] = (i * 31 + 7) & 255;
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < size; offset += DEFAULT_LIMITS.maxChunkBytes)
    pieces.push(frame.subarray(offset, offset + DEFAULT_LIMITS.maxChunkBytes));
  let received = 0;
  let frameDone: (() => void) | undefined;
  const subscription = channel.onMessage.subscribe(() => {
    received++;
    if (received === pieces.length) frameDone?.();
  });
  const echoOne = async (): Promise<void> => {
    received = 0;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve, reject) => {
      frameDone = resolve;
      timer = setTimeout(() => reject(new Error(`a ${size}-byte frame did not come back within ${FRAME_TIMEOUT_MS} ms`)), FRAME_TIMEOUT_MS);
      for (const piece of pieces) channel.send(piece);
    }).finally(() => clearTimeout(timer));
  };
  try {
    for (let i = 0; i < 2; i++) await echoOne();
    const rttMs: number[] = [];
    const started = performance.now();
    while (performance.now() - started < SECONDS * 1000 && rttMs.length < MAX_FRAMES_PER_CELL) {
      const t = performance.now();
      await echoOne();
      rttMs.push(performance.now() - t);
    }
    return { rttMs, elapsedMs: performance.now() - started };
  } finally {
    subscription.unSubscribe();
  }
}

/** Chromium -> edge: one page per edge, connected over the data channel to a PassThrough node. */
async function startBrowserLink(page: Page, edge: EdgeProcess): Promise<Link> {
  await page.goto(`${edge.url}/`);
  await page.addScriptTag({ content: await sdkPageScript() });
  const transport = await page.evaluate(async () => {
    const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
    const session = await R.connect(location.origin, { transport: 'datachannel', reconnect: false });
    (window as unknown as { benchNode: unknown }).benchNode = await session.node('PassThrough');
    return session.transport;
  });
  if (transport !== 'datachannel') throw new Error(`the page connected over ${transport}, not the data channel`);
  return {
    run: async (size) => {
      const cpuBefore = processCpuMs(edge.process.pid!);
      const result = await page.evaluate(
        async ({ size, seconds, maxFrames }) => {
          const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
          const node = (window as unknown as { benchNode: import('@remotemedia/browser-sdk').RemoteNode }).benchNode;
          const [width, height, format] =
            size === 40_000 ? [200, 200, 'gray' as const] : size === 115_200 ? [320, 240, 'i420' as const] : [640, 480, 'i420' as const];
          const pattern = new Uint8Array(size);
          for (let i = 0; i < size; i++) pattern[i] = (i * 31 + 7) & 255;
          // A fresh frame each time: the SDK may hand the frame's buffer over when it sends. No named
          // function here: the bundler's keep-names helper does not exist in the page.
          const rttMs: number[] = [];
          let started = performance.now();
          for (let i = -2; performance.now() - started < seconds * 1000 && rttMs.length < maxFrames; i++) {
            const t = performance.now();
            await node.process(R.createVideoFrame({ width, height, format, data: pattern.slice() }));
            if (i >= 0) rttMs.push(performance.now() - t);
            else started = performance.now();
          }
          return { rttMs, elapsedMs: performance.now() - started };
        },
        { size, seconds: SECONDS, maxFrames: MAX_FRAMES_PER_CELL },
      );
      return { ...result, cpuMs: processCpuMs(edge.process.pid!) - cpuBefore };
    },
    close: async () => {
      await page.close();
    },
  };
}

/** The unpatched edge loads the pristine werift through useWeriftDir.mjs; the patched one the installed werift. */
function edgeEnv(variant: Variant, pristineDir: string): Record<string, string> {
  if (variant === 'patched') return {};
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${useWeriftDir}`.trim(), REMOTEMEDIA_WERIFT_DIR: pristineDir };
}

function edgeNodeArgs(variant: Variant): string[] {
  if (CPU_PROFILE_DIR === undefined) return [];
  // Default file names: every thread (worker, loader hooks) writes its own profile, named with the pid and
  // the thread id; the main thread, where werift runs, is thread 0.
  return ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, `edge-${variant}`)}`];
}

function mainThreadProfile(variant: Variant, pid: number): string {
  const dir = join(CPU_PROFILE_DIR!, `edge-${variant}`);
  const file = readdirSync(dir).find((name) => name.endsWith(`.${pid}.0.001.cpuprofile`));
  if (file === undefined) throw new Error(`no main-thread profile of process ${pid} in ${dir}`);
  return join(dir, file);
}

interface Cell {
  path: Path;
  sizeBytes: number;
  variant: Variant;
  fpsPerRound: number[];
  cpuMsPerFramePerRound: number[];
  rttMs: number[];
}

async function main(): Promise<void> {
  const pristineDir = unpackPristineWerift();
  const dirs: Record<Variant, string> = { patched: installedWeriftDir, unpatched: pristineDir };
  const load = { start: loadavg().map((v) => round(v, 2)), end: [] as number[] };
  const links = new Map<string, Link>();
  const edges: EdgeProcess[] = [];
  const browser = await launchChromium();
  try {
    for (const variant of VARIANTS) {
      links.set(`werift-werift/${variant}`, await startWeriftLink(variant, dirs[variant]));
      const edge = await startEdge([], edgeEnv(variant, pristineDir), edgeNodeArgs(variant));
      edges.push(edge);
      links.set(`chromium-edge/${variant}`, await startBrowserLink(await browser.newPage(), edge));
    }
    const cells = new Map<string, Cell>();
    for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
      for (const path of ['werift-werift', 'chromium-edge'] as const) {
        for (const sizeBytes of SIZES) {
          // Alternate which variant goes first, so neither always runs right after the other's load.
          const order = roundIndex % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
          for (const variant of order) {
            const key = `${path}/${sizeBytes}/${variant}`;
            const cell = cells.get(key) ?? { path, sizeBytes, variant, fpsPerRound: [], cpuMsPerFramePerRound: [], rttMs: [] };
            cells.set(key, cell);
            const run = await links.get(`${path}/${variant}`)!.run(sizeBytes);
            cell.fpsPerRound.push(round((run.rttMs.length * 1000) / run.elapsedMs, 1));
            cell.cpuMsPerFramePerRound.push(round(run.cpuMs / run.rttMs.length, 2));
            cell.rttMs.push(...run.rttMs);
            console.log(`round ${roundIndex + 1}/${ROUNDS} ${key}: ${cell.fpsPerRound.at(-1)} fps`);
          }
        }
      }
    }
    load.end = loadavg().map((v) => round(v, 2));
    const results = [...cells.values()].map((cell) => ({
      path: cell.path,
      sizeBytes: cell.sizeBytes,
      variant: cell.variant,
      frames: cell.rttMs.length,
      fpsPerRound: cell.fpsPerRound,
      fpsMedian: percentile(cell.fpsPerRound, 50),
      rttP50Ms: round(percentile(cell.rttMs, 50), 1),
      rttP99Ms: round(percentile(cell.rttMs, 99), 1),
      cpuMsPerFrameMedian: percentile(cell.cpuMsPerFramePerRound, 50),
    }));
    const ratios = results
      .filter((r) => r.variant === 'patched')
      .map((patched) => {
        const unpatched = results.find((r) => r.variant === 'unpatched' && r.path === patched.path && r.sizeBytes === patched.sizeBytes)!;
        return {
          path: patched.path,
          sizeBytes: patched.sizeBytes,
          fps: round(patched.fpsMedian / unpatched.fpsMedian, 2),
          rttP50: round(patched.rttP50Ms / unpatched.rttP50Ms, 2),
          cpuMsPerFrame: round(patched.cpuMsPerFrameMedian / unpatched.cpuMsPerFrameMedian, 2),
        };
      });
    console.log('\npath           size     variant     fps   p50 ms   p99 ms   cpu ms/frame');
    for (const r of results) {
      console.log(
        `${r.path.padEnd(14)} ${String(r.sizeBytes).padStart(7)}  ${r.variant.padEnd(9)} ${String(r.fpsMedian).padStart(6)} ${String(r.rttP50Ms).padStart(8)} ${String(r.rttP99Ms).padStart(8)} ${String(r.cpuMsPerFrameMedian).padStart(10)}`,
      );
    }
    console.log('\npatched / unpatched: fps, p50, cpu per frame');
    for (const r of ratios) console.log(`${r.path.padEnd(14)} ${String(r.sizeBytes).padStart(7)}  ${r.fps}x  ${r.rttP50}x  ${r.cpuMsPerFrame}x`);
    const report = {
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: load },
      when: new Date().toISOString(),
      werift: JSON.parse(readFileSync(join(installedWeriftDir, 'package.json'), 'utf8')).version as string,
      rounds: ROUNDS,
      secondsPerCell: SECONDS,
      cpuMsPerFrame: 'werift-werift: both peers (this process and the echo child); chromium-edge: the edge process',
      results,
      ratios,
    };
    mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
    writeFileSync(join(repoRoot, 'bench-results/werift.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log('written to bench-results/werift.json');
  } finally {
    for (const link of links.values()) await link.close().catch(() => undefined);
    await browser.close();
    // SIGTERM: the edge exits cleanly, which is also when --cpu-prof writes its profile.
    for (const edge of edges) await edge.stop();
  }
  if (CPU_PROFILE_DIR !== undefined) {
    for (const [index, variant] of VARIANTS.entries()) {
      const path = mainThreadProfile(variant, edges[index]!.process.pid!);
      console.log(`\nedge (${variant} werift), self time by function, % of busy time (${path}):`);
      for (const row of cpuProfileSummary(path))
        console.log(`${String(row.busyShare).padStart(6)}%  ${String(row.selfMs).padStart(6)} ms  ${row.fn}`);
    }
  }
}

await main();
// werift keeps UDP sockets referenced after close; the figures are written, so end here.
process.exit(0);
