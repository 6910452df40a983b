// `npm run bench:browser`: camera-rate video as a user gets it. Headless Chromium (fake camera asked for 60 fps)
// sends camera frames through the browser SDK to a real edge, through a sandboxed user node that touches every
// pixel, latest-wins through LiveVideoPump (by default 2 frames in flight, 1 while the edge drops), and draws what comes back.
// Cells: 320x240 and 640x480 x { JPEG q0.8, raw I420, raw RGBA } x { data channel (patched werift), data channel
// (pristine werift), WebSocket } x in-flight settings; cells interleave across rounds. Per cell: fps in and out, round trip p50/p99
// (capture to drawn-ready, the SDK's encode and decode included), deadline skips, drops, CPU of the browser
// (every Chromium process) and of the edge, from /proc; and the SDK's per-stage times. Each cell is checked
// against the issue's goals (stated for the data channel). Prints a table and writes bench-results/browser.json.
//
// Environment: BENCH_ROUNDS (2), BENCH_SECONDS per cell (5), BENCH_NODE (kernels | loop, see NODES),
// BENCH_IN_FLIGHT (comma-separated `maxInFlight` values and/or `adaptive`, the SDK's default; default `adaptive`), BENCH_ONLY
// (a regular expression over cell keys `640x480/jpeg-rgba/datachannel/adaptive`), BENCH_CPU_PROF=<dir> to run the edges with
// `node --cpu-prof` and print the top self-time functions of their main threads, BENCH_BROWSER_PROF=<cell key> to take
// a CDP CPU profile of the page's main thread (not its codec worker) during that cell in the last round.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { unpackPristineWerift } from '../support/pristineWerift.ts';
import { sdkPageScript } from '../support/sdkPageScript.ts';
import { cpuProfileSummary, type ProfileWindow } from './cpuProfileSummary.ts';
import { percentile, round } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = 1.5;
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;
const BROWSER_PROFILE_CELL = process.env.BENCH_BROWSER_PROF;
/** The fake camera delivers ~20 fps unless asked for more; camera rate is what the goals are about. */
const CAMERA_FPS = 60;
/**
 * Frames in flight at once: a fixed `maxInFlight`, or `adaptive` (LiveVideoPump's default, 2, or 1 while the edge drops frames). With one,
 * fps out <= 1000 / (round trip + wait for the next capture).
 */
const IN_FLIGHTS = (process.env.BENCH_IN_FLIGHT ?? 'adaptive').split(',').map((v) => v.trim());
for (const v of IN_FLIGHTS) {
  if (v !== 'adaptive' && !(Number.isInteger(Number(v)) && Number(v) >= 1))
    throw new Error(`BENCH_IN_FLIGHT: "${v}" is neither a count >= 1 nor "adaptive"`);
}
type InFlight = string;
/** Only cells whose key (`640x480/jpeg-rgba/datachannel/adaptive`) matches this regular expression, e.g. for a profile. */
const ONLY = new RegExp(process.env.BENCH_ONLY ?? '.');

const SIZES = [
  [320, 240],
  [640, 480],
] as const;
/** JPEG q0.8 of I420 camera frames (the demo's default format) or of RGBA ones (JPEG carries RGB: no conversion), raw I420, raw RGBA. */
const ENCODINGS = ['jpeg-i420', 'jpeg-rgba', 'i420', 'rgba'] as const;
type Encoding = (typeof ENCODINGS)[number];
/** Which edge and transport: the pristine werift only matters on the data channel. */
const LINKS = ['datachannel', 'datachannel-pristine', 'websocket'] as const;
type LinkName = (typeof LINKS)[number];

/** The issue's goals (data channel, sandboxed node touching every pixel). */
const GOALS: Record<string, { fps: number; p50Ms?: number; p99Ms: number }> = {
  '320x240': { fps: 30, p99Ms: 80 },
  '640x480': { fps: 30, p50Ms: 50, p99Ms: 150 },
};

// User nodes for the sandbox that touch every pixel of whatever format they get: RGBA inverts colour and keeps
// alpha, I420 inverts every sample. They declare no formats, so the edge converts nothing before them.
// `kernels` (default) makes one call to a host kernel (V8 over the frame's bytes in place); `loop` is the same
// work as a plain JS loop, interpreted by QuickJS.
const NODES = {
  kernels: {
    exportName: 'InvertKernels',
    source: `
import { applyLut } from '@remotemedia/shared/kernels';
const INVERT = new Uint8Array(256).map((_, v) => 255 - v);
const INVERT_RGB = new Uint8Array(1024).map((_, i) => (i >> 8 === 3 ? i & 255 : 255 - (i & 255)));
export class InvertKernels {
  process(frame) {
    const rgba = frame.format === 'rgba';
    applyLut(frame.data, rgba ? INVERT_RGB : INVERT, rgba ? 4 : 1, frame.data);
    return frame;
  }
}
`,
  },
  loop: {
    exportName: 'InvertLoop',
    source: `
export class InvertLoop {
  process(frame) {
    const d = frame.data;
    const n = d.length | 0;
    if (frame.format === 'rgba') {
      for (let i = 0; i < n; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    } else {
      for (let i = 0; i < n; i++) d[i] = 255 - d[i];
    }
    return frame;
  }
}
`,
  },
} as const;
const NODE_NAME = (process.env.BENCH_NODE ?? 'kernels') as keyof typeof NODES;
if (!(NODE_NAME in NODES)) throw new Error(`BENCH_NODE must be one of ${Object.keys(NODES).join(', ')}, got ${NODE_NAME}`);
const NODE = NODES[NODE_NAME];

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const useWeriftDir = join(benchDir, 'useWeriftDir.mjs');
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU (user + system, all threads) of a process and its descendants so far, ms, from /proc. */
function treeCpuMs(rootPid: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone between the listing and the read
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(entry), Number(fields[1]));
    cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND);
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 64; p = parents.get(p), depth++) {
      if (p === rootPid) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

interface PageCell {
  transport: string;
  fpsIn: number;
  fpsOut: number;
  rttMs: number[];
  skippedByDeadline: number;
  droppedByEdge: number;
  droppedLocally: number;
  lost: number;
  failed: number;
  encoding: unknown;
  stages: Record<string, { p50Ms: number; p99Ms: number; samples: number }>;
  /** The pump's in-flight limit at the end and how often it changed. */
  inFlight: { limit: number; changes: number; reason: string };
  droppedLate: number;
  errors: string[];
}

/** One cell in the page: a fresh session, the node deployed, the camera opened at the size, warm-up, then measured. */
function runInPage(
  page: Page,
  cell: { transport: 'datachannel' | 'websocket'; encoding: Encoding; width: number; height: number; inFlight: InFlight },
): Promise<PageCell> {
  return page.evaluate(
    async ({ transport, encoding, width, height, source, exportName, seconds, warmupSeconds, cameraFps, inFlight }) => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const session = await R.connect(location.origin, {
        transport,
        reconnect: false,
        // Adaptation held: each cell measures the encoding it names.
        video: { encoding: encoding.startsWith('jpeg') ? R.jpegEncoding(0.8) : { codec: 'raw' }, adapt: false },
      });
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height, frameRate: cameraFps } });
      const track = stream.getVideoTracks()[0]!;
      const canvas = document.createElement('canvas');
      document.body.replaceChildren(canvas);
      const errors: string[] = [];
      try {
        const node = await session.deploy(await R.packSources({ sources: { 'invert.js': source }, entry: 'invert.js', exportName }));
        let measuring = false;
        const rttMs: number[] = [];
        let out = 0;
        const pump = new R.LiveVideoPump(node, {
          ...(inFlight === 'adaptive' ? {} : { maxInFlight: Number(inFlight) }),
          onOutput: (items, _input, roundTripMs) => {
            const frame = items[0] as import('@remotemedia/browser-sdk').VideoFrameData | undefined;
            if (frame !== undefined) R.drawVideoFrame(canvas, frame);
            if (!measuring) return;
            out++;
            rttMs.push(roundTripMs);
          },
          onError: (error) => {
            if (errors.length < 5) errors.push(String(error));
          },
        });
        const running = pump.run(R.cameraFrames(track, { width, height, format: encoding.endsWith('rgba') ? 'rgba' : 'i420' }));
        await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
        const before = { ...pump.stats };
        measuring = true;
        const started = performance.now();
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        measuring = false;
        const elapsed = (performance.now() - started) / 1000;
        const after = { ...pump.stats };
        pump.stop();
        track.stop();
        await Promise.race([running, new Promise((resolve) => setTimeout(resolve, 2000))]);
        const stats = session.stats();
        return {
          transport: stats.transport,
          fpsIn: (after.captured - before.captured) / elapsed,
          fpsOut: out / elapsed,
          rttMs,
          skippedByDeadline: after.skippedByDeadline - before.skippedByDeadline,
          droppedByEdge: after.droppedByEdge - before.droppedByEdge,
          droppedLocally: after.droppedLocally - before.droppedLocally,
          lost: after.lost - before.lost,
          failed: after.failed - before.failed,
          encoding: stats.video.encoding,
          stages: stats.frameStages as PageCell['stages'],
          inFlight: pump.inFlightStats(),
          droppedLate: after.droppedLate - before.droppedLate,
          errors,
        };
      } finally {
        track.stop();
        session.close();
      }
    },
    {
      ...cell,
      source: NODE.source,
      exportName: NODE.exportName,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      cameraFps: CAMERA_FPS,
    },
  );
}

interface Cell {
  size: string;
  encoding: Encoding;
  link: LinkName;
  inFlight: InFlight;
  /** The limit each round ended at. */
  inFlightEndPerRound: number[];
  droppedLate: number;
  fpsOutPerRound: number[];
  fpsInPerRound: number[];
  rttMs: number[];
  skippedByDeadline: number;
  drops: number;
  droppedLocally: number;
  browserCpuPctPerRound: number[];
  edgeCpuPctPerRound: number[];
  stages: PageCell['stages'][];
  errors: string[];
}

function edgeEnv(link: LinkName, pristineDir: string): Record<string, string> {
  if (link !== 'datachannel-pristine') return {};
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${useWeriftDir}`.trim(), REMOTEMEDIA_WERIFT_DIR: pristineDir };
}

function edgeNodeArgs(name: string): string[] {
  if (CPU_PROFILE_DIR === undefined) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, `edge-${name}`)}`];
}

/** Median over rounds of each stage's p50/p99 (each round's figures are the SDK's over that cell's frames). */
function stageSummary(stages: PageCell['stages'][]): Record<string, { p50Ms: number; p99Ms: number }> {
  const names = new Set(stages.flatMap((s) => Object.keys(s)));
  const out: Record<string, { p50Ms: number; p99Ms: number }> = {};
  for (const name of names) {
    const rounds = stages.map((s) => s[name]).filter((s) => s !== undefined);
    out[name] = {
      p50Ms: round(
        percentile(
          rounds.map((s) => s.p50Ms),
          50,
        ),
        1,
      ),
      p99Ms: round(
        percentile(
          rounds.map((s) => s.p99Ms),
          50,
        ),
        1,
      ),
    };
  }
  return out;
}

async function browserProfile(
  page: Page,
  run: () => Promise<PageCell>,
): Promise<{ cell: PageCell; top: Array<{ fn: string; selfMs: number; share: number }> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  const cell = await run();
  const { profile } = (await cdp.send('Profiler.stop')) as {
    profile: {
      nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
      samples: number[];
      timeDeltas: number[];
    };
  };
  await cdp.detach();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (const [i, id] of profile.samples.entries()) {
    const n = byId.get(id)!;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + ms);
    if (n.callFrame.functionName !== '(idle)') total += ms;
  }
  const top = [...self]
    .filter(([fn]) => !fn.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, ms]) => ({ fn, selfMs: round(ms, 1), share: round((ms / total) * 100, 1) }));
  return { cell, top };
}

async function main(): Promise<void> {
  const pristineDir = unpackPristineWerift();
  const load = { start: loadavg().map((v) => round(v, 2)), end: [] as number[] };
  const edges = new Map<string, EdgeProcess>();
  const pages = new Map<LinkName, Page>();
  let browser: Browser | undefined;
  const cells = new Map<string, Cell>();
  let pageProfile: { cell: string; top: Array<{ fn: string; selfMs: number; share: number }> } | undefined;
  /** The cells' measured spans (after connect and warm-up): the edge profiles are summed over these only. */
  const measuredWindows: ProfileWindow[] = [];
  try {
    edges.set('patched', await startEdge([], {}, edgeNodeArgs('patched')));
    edges.set('pristine', await startEdge([], edgeEnv('datachannel-pristine', pristineDir), edgeNodeArgs('pristine')));
    browser = await launchChromium({ extraArgs: [`--use-fake-device-for-media-stream=fps=${CAMERA_FPS}`] });
    const script = await sdkPageScript();
    for (const link of LINKS) {
      const edge = edges.get(link === 'datachannel-pristine' ? 'pristine' : 'patched')!;
      const page = await browser.newPage();
      await page.goto(`${edge.url}/`);
      await page.addScriptTag({ content: script });
      // tsx compiles this file keeping function names through a `__name` helper, which the page lacks.
      await page.evaluate('globalThis.__name = (fn) => fn');
      pages.set(link, page);
    }
    const browserPid = findBrowserPid();
    for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
      const order = roundIndex % 2 === 0 ? LINKS : [...LINKS].reverse();
      for (const [width, height] of SIZES) {
        for (const encoding of ENCODINGS) {
          for (const [link, inFlight] of order.flatMap((l) => IN_FLIGHTS.map((f) => [l, f] as const))) {
            const size = `${width}x${height}`;
            const key = `${size}/${encoding}/${link}/${inFlight}`;
            if (!ONLY.test(key)) continue;
            const cell: Cell = cells.get(key) ?? {
              size,
              encoding,
              link,
              inFlight,
              inFlightEndPerRound: [],
              droppedLate: 0,
              fpsOutPerRound: [],
              fpsInPerRound: [],
              rttMs: [],
              skippedByDeadline: 0,
              drops: 0,
              droppedLocally: 0,
              browserCpuPctPerRound: [],
              edgeCpuPctPerRound: [],
              stages: [],
              errors: [],
            };
            cells.set(key, cell);
            const edge = edges.get(link === 'datachannel-pristine' ? 'pristine' : 'patched')!;
            const transport = link === 'websocket' ? 'websocket' : 'datachannel';
            const page = pages.get(link)!;
            const cpuBefore = { browser: treeCpuMs(browserPid), edge: treeCpuMs(edge.process.pid!), at: performance.now() };
            const profileThis = roundIndex === ROUNDS - 1 && key === BROWSER_PROFILE_CELL;
            const run = () => runInPage(page, { transport, encoding, width, height, inFlight });
            const cellStartUs = monotonicUs();
            let result: PageCell;
            if (profileThis) {
              const profiled = await browserProfile(page, run);
              result = profiled.cell;
              pageProfile = { cell: key, top: profiled.top };
            } else result = await run();
            // Connect and deploy take well under a second; the warm-up follows them.
            measuredWindows.push({ fromUs: cellStartUs + (WARMUP_SECONDS + 1) * 1e6, toUs: monotonicUs() });
            // CPU over the whole cell (connect, warm-up and measure) as a share of one core.
            const wallMs = performance.now() - cpuBefore.at;
            if (result.transport !== transport) throw new Error(`${key}: the page connected over ${result.transport}, not ${transport}`);
            cell.fpsOutPerRound.push(round(result.fpsOut, 1));
            cell.fpsInPerRound.push(round(result.fpsIn, 1));
            cell.rttMs.push(...result.rttMs);
            cell.skippedByDeadline += result.skippedByDeadline;
            cell.drops += result.droppedByEdge + result.lost + result.failed;
            cell.droppedLocally += result.droppedLocally;
            cell.droppedLate += result.droppedLate;
            cell.inFlightEndPerRound.push(result.inFlight.limit);
            cell.browserCpuPctPerRound.push(round(((treeCpuMs(browserPid) - cpuBefore.browser) / wallMs) * 100, 0));
            cell.edgeCpuPctPerRound.push(round(((treeCpuMs(edge.process.pid!) - cpuBefore.edge) / wallMs) * 100, 0));
            cell.stages.push(result.stages);
            cell.errors.push(...result.errors);
            console.log(
              `round ${roundIndex + 1}/${ROUNDS} ${key}: ${cell.fpsOutPerRound.at(-1)} fps out (${cell.fpsInPerRound.at(-1)} in), load ${loadavg()[0]!.toFixed(1)}`,
            );
          }
        }
      }
    }
    load.end = loadavg().map((v) => round(v, 2));
  } finally {
    for (const page of pages.values()) await page.close().catch(() => undefined);
    await browser?.close();
    for (const edge of edges.values()) await edge.stop();
  }

  const results = [...cells.values()].map((cell) => {
    const fpsOut = percentile(cell.fpsOutPerRound, 50);
    const p50 = round(percentile(cell.rttMs, 50), 1);
    const p99 = round(percentile(cell.rttMs, 99), 1);
    const goal = GOALS[cell.size]!;
    const misses = [
      fpsOut < goal.fps ? `fps ${fpsOut} < ${goal.fps}` : undefined,
      goal.p50Ms !== undefined && p50 > goal.p50Ms ? `p50 ${p50} > ${goal.p50Ms}` : undefined,
      p99 > goal.p99Ms ? `p99 ${p99} > ${goal.p99Ms}` : undefined,
    ].filter((m) => m !== undefined);
    return {
      size: cell.size,
      encoding: cell.encoding,
      link: cell.link,
      inFlight: cell.inFlight,
      inFlightEndPerRound: cell.inFlightEndPerRound,
      frames: cell.rttMs.length,
      fpsInMedian: percentile(cell.fpsInPerRound, 50),
      fpsOutMedian: fpsOut,
      fpsOutPerRound: cell.fpsOutPerRound,
      rttP50Ms: p50,
      rttP99Ms: p99,
      skippedByDeadline: cell.skippedByDeadline,
      drops: cell.drops,
      skippedLocally: cell.droppedLocally,
      droppedLate: cell.droppedLate,
      browserCpuPct: percentile(cell.browserCpuPctPerRound, 50),
      edgeCpuPct: percentile(cell.edgeCpuPctPerRound, 50),
      stages: stageSummary(cell.stages),
      goal,
      meetsGoal: misses.length === 0,
      misses,
      errors: cell.errors.slice(0, 3),
    };
  });

  console.log(
    `\nload average ${load.start.join(' ')} at start, ${load.end.join(' ')} at end; ${cpus().length} cores; camera asked for ${CAMERA_FPS} fps`,
  );
  // in flight: the fixed limit, or `a→` and the limit the adaptive pump ended each round at. skips: deadline skips;
  // late: results dropped because a newer frame's output was already shown.
  console.log('size     encoding  link                  in flight  fps in  fps out  p50 ms  p99 ms  skips  late  drops  browser%  edge%  goal');
  for (const r of results) {
    const inFlight = r.inFlight === 'adaptive' ? `a→${r.inFlightEndPerRound.join('/')}` : r.inFlight;
    console.log(
      `${r.size.padEnd(8)} ${r.encoding.padEnd(9)} ${r.link.padEnd(21)} ${inFlight.padEnd(9)} ${String(r.fpsInMedian).padStart(6)} ${String(r.fpsOutMedian).padStart(8)} ${String(r.rttP50Ms).padStart(7)} ${String(r.rttP99Ms).padStart(7)} ${String(r.skippedByDeadline).padStart(6)} ${String(r.droppedLate).padStart(5)} ${String(r.drops).padStart(6)} ${String(r.browserCpuPct).padStart(9)} ${String(r.edgeCpuPct).padStart(6)}  ${r.meetsGoal ? 'meets' : `misses: ${r.misses.join(', ')}`}`,
    );
  }
  console.log("\nper stage, p50 / p99 ms (median over rounds; the SDK's figures over each cell, warm-up included):");
  for (const r of results) {
    const stages = ['encode', 'network', 'edgeDecode', 'edgeQueue', 'node', 'edgeEncode', 'decode']
      .filter((s) => r.stages[s] !== undefined)
      .map((s) => `${s} ${r.stages[s]!.p50Ms}/${r.stages[s]!.p99Ms}`);
    console.log(`${r.size.padEnd(8)} ${r.encoding.padEnd(9)} ${r.link.padEnd(21)} ${r.inFlight.padEnd(9)} ${stages.join('  ')}`);
  }
  if (pageProfile !== undefined) {
    console.log(`\nbrowser page main thread (${pageProfile.cell}), self time by function, % of busy time:`);
    for (const row of pageProfile.top) console.log(`${String(row.share).padStart(6)}%  ${String(row.selfMs).padStart(7)} ms  ${row.fn}`);
  }
  const report = {
    machine: { node: process.version, cpus: cpus().length, loadavg: load },
    when: new Date().toISOString(),
    rounds: ROUNDS,
    secondsPerCell: SECONDS,
    cameraFps: CAMERA_FPS,
    node: NODE_NAME,
    inFlight: IN_FLIGHTS,
    notes:
      'Round trip: capture to output in hand (the SDK encode/decode included). drops: dropped by the edge, lost or failed. ' +
      'skippedLocally: camera frames not sent while the in-flight limit was out (latest wins); droppedLate: results older than one already shown. CPU: % of one core over the whole cell, ' +
      "browser = every Chromium process. Goals are the issue's, stated for the data channel.",
    results,
    browserProfile: pageProfile,
  };
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench-results/browser.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('written to bench-results/browser.json');
  if (CPU_PROFILE_DIR !== undefined) {
    for (const [name, edge] of edges) {
      const dir = join(CPU_PROFILE_DIR, `edge-${name}`);
      // One profile per thread: the main thread (werift, sessions) is thread 0, the sandbox and codec workers follow.
      for (const file of readdirSync(dir).filter((f) => f.includes(`.${edge.process.pid}.`) && f.endsWith('.cpuprofile'))) {
        const rows = cpuProfileSummary(join(dir, file), 10, measuredWindows);
        if (rows.reduce((sum, row) => sum + row.selfMs, 0) < 200) continue; // a thread idle while measuring
        console.log(`\nedge (${name} werift), measured spans only, self time by function, % of busy time (${join(dir, file)}):`);
        for (const row of rows) console.log(`${String(row.busyShare).padStart(6)}%  ${String(row.selfMs).padStart(6)} ms  ${row.fn}`);
      }
    }
  }
}

/** The monotonic clock V8's CPU profiles use, microseconds. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Chromium's browser process: the child of this process that runs Chromium (its other processes descend from it). */
function findBrowserPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid && readFileSync(`/proc/${entry}/comm`, 'utf8').includes('chrom')) return Number(entry);
    } catch {
      // gone between the listing and the read
    }
  }
  throw new Error("no Chromium process among this process's children");
}

await main();
// werift keeps UDP sockets referenced after close; the figures are written, so end here.
process.exit(0);
