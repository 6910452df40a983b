// `npm run bench:demo`: the demo page itself, as a person opening it gets it. Headless Chromium opens the demo an
// edge serves at ?size=640x480&transport=datachannel with every other picker at its default (encoding auto, the
// default frame format and template), clicks Start, and reads what the page shows: FPS in / out and the round
// trip p50 / p99. Cells: fake camera at 20 and 30 fps x { this tree, BENCH_BEFORE's tree (e.g. /work/main) },
// interleaved over rounds, so both see the same machine load. Prints a table and writes bench-results/demo.json.
//
// Environment: BENCH_ROUNDS (2), BENCH_SECONDS measured per cell (8), BENCH_BEFORE (a checkout of an earlier
// version, built, whose edge serves its own demo; omitted: this tree only), BENCH_SIZE (640x480), BENCH_QUERY
// (more pickers, e.g. `encoding=raw`), BENCH_FORMATS (the Frames picker's values to compare, comma-separated, default
// `auto`; a tree without such a value uses its default), BENCH_DEMO_PROF=<dir> to write a CDP CPU profile of the page's main thread
// per cell (last round) and print its top self-time functions.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DemoPage } from '../e2e/demoPage.ts';
import { launchChromium } from '../support/browser.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { cpuProfileSummary } from './cpuProfileSummary.ts';
import { round } from './stats.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 3;
const BEFORE = process.env.BENCH_BEFORE;
const SIZE = process.env.BENCH_SIZE ?? '640x480';
const EXTRA_QUERY = Object.fromEntries(new URLSearchParams(process.env.BENCH_QUERY ?? ''));
const PROFILE_DIR = process.env.BENCH_DEMO_PROF;
const CAMERA_FPS = [20, 30] as const;
const FORMATS = (process.env.BENCH_FORMATS ?? 'auto').split(',');

/** What the page shows, read once a second over the measured window. */
interface Reading {
  fpsIn: number;
  fpsOut: number;
  rttP50Ms: number;
  rttP99Ms: number;
  stages: string;
}

interface Cell {
  tree: string;
  format: string;
  cameraFps: number;
  readings: Reading[][];
  errors: string[];
}

async function readShown(page: Page): Promise<Reading> {
  return page.evaluate(() => {
    const text = (id: string): string => document.getElementById(id)?.textContent ?? '';
    const rtt = /([\d.]+) ms \/ ([\d.]+) ms/.exec(text('stat-rtt'));
    return {
      fpsIn: Number(text('stat-fps-in')),
      fpsOut: Number(text('stat-fps')),
      rttP50Ms: rtt ? Number(rtt[1]) : Number.NaN,
      rttP99Ms: rtt ? Number(rtt[2]) : Number.NaN,
      stages: text('stat-stages'),
    };
  });
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One cell: a fresh page on `edge`, Start, warm-up, then the shown figures once a second. */
async function runCell(
  browser: Browser,
  edge: EdgeProcess,
  format: string,
  profilePath: string | undefined,
): Promise<{ readings: Reading[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // tsx compiles this file and demoPage.ts keeping function names through a `__name` helper, which the page lacks.
  await page.addInitScript('globalThis.__name = (fn) => fn');
  const demo = await DemoPage.open(browser, edge, page, undefined, {
    size: SIZE,
    transport: 'datachannel',
    encoding: 'auto',
    format,
    ...EXTRA_QUERY,
  });
  try {
    await demo.start();
    await demo.page.waitForTimeout(WARMUP_SECONDS * 1000);
    const cdp = profilePath === undefined ? undefined : await demo.page.context().newCDPSession(demo.page);
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.start');
    const readings: Reading[] = [];
    for (let second = 0; second < SECONDS; second++) {
      await demo.page.waitForTimeout(1000);
      readings.push(await readShown(demo.page));
    }
    if (cdp !== undefined && profilePath !== undefined) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(profilePath, JSON.stringify(profile));
      await cdp.detach();
    }
    const { errors } = await demo.probe();
    return { readings, errors: errors.slice(0, 5) };
  } finally {
    await demo.page.close();
  }
}

async function main(): Promise<void> {
  const load = { start: loadavg().map((v) => round(v, 2)), end: [] as number[] };
  const trees: Array<{ name: string; cwd: string }> = [{ name: 'this', cwd: repoRoot }];
  if (BEFORE !== undefined) trees.unshift({ name: 'before', cwd: BEFORE });
  const edges = new Map<string, EdgeProcess>();
  const cells = new Map<string, Cell>();
  if (PROFILE_DIR !== undefined) mkdirSync(PROFILE_DIR, { recursive: true });
  try {
    for (const tree of trees) {
      edges.set(tree.name, await startEdge([], {}, [], { cli: [...FROM_SOURCES, 'packages/edge-server/src/cli.ts'], cwd: tree.cwd }));
    }
    for (const cameraFps of CAMERA_FPS) {
      // The fake camera's rate is a browser flag: one browser per rate, every tree and format in it.
      const browser = await launchChromium({ extraArgs: [`--use-fake-device-for-media-stream=fps=${cameraFps}`] });
      try {
        for (let roundIndex = 0; roundIndex < ROUNDS; roundIndex++) {
          const variants = trees.flatMap((tree) => FORMATS.map((format) => ({ tree: tree.name, format })));
          const order = roundIndex % 2 === 0 ? variants : variants.reverse();
          for (const { tree, format } of order) {
            const key = `${tree}/${format}/${cameraFps}`;
            const cell = cells.get(key) ?? { tree, format, cameraFps, readings: [], errors: [] };
            cells.set(key, cell);
            const profilePath =
              PROFILE_DIR !== undefined && roundIndex === ROUNDS - 1
                ? join(PROFILE_DIR, `page-${tree}-${format}-${cameraFps}.cpuprofile`)
                : undefined;
            // A cell that fails (e.g. the node timed out on a machine too busy) is recorded and the run goes on.
            const result = await runCell(browser, edges.get(tree)!, format, profilePath).catch((error: unknown) => ({
              readings: [] as Reading[],
              errors: [String(error).slice(0, 500)],
            }));
            cell.readings.push(result.readings);
            cell.errors.push(...result.errors);
            console.log(`${key} round ${roundIndex + 1}: fps out ${median(result.readings.map((r) => r.fpsOut)).toFixed(1)}`);
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    load.end = loadavg().map((v) => round(v, 2));
    for (const edge of edges.values()) await edge.stop();
  }

  const results = [...cells.values()].map((cell) => {
    const all = cell.readings.flat();
    return {
      tree: cell.tree,
      format: cell.format,
      cameraFps: cell.cameraFps,
      fpsIn: round(median(all.map((r) => r.fpsIn)), 1),
      fpsOut: round(median(all.map((r) => r.fpsOut)), 1),
      fpsOutPerRound: cell.readings.map((readings) => round(median(readings.map((r) => r.fpsOut)), 1)),
      rttP50Ms: round(median(all.map((r) => r.rttP50Ms)), 1),
      rttP99Ms: round(median(all.map((r) => r.rttP99Ms)), 1),
      lastStages: all.at(-1)?.stages ?? '',
      errors: cell.errors,
    };
  });
  console.log(
    `\ndemo at ${SIZE} over the data channel, other pickers at their defaults ${JSON.stringify(EXTRA_QUERY)}; medians of the page's own figures, read once a second`,
  );
  console.log(`load average ${load.start.join(' ')} -> ${load.end.join(' ')} on ${cpus().length} cores\n`);
  console.log('tree     format  camera  fps in  fps out  (per round)      rtt p50  rtt p99  errors');
  for (const r of results) {
    console.log(
      `${r.tree.padEnd(8)} ${r.format.padEnd(6)}  ${String(r.cameraFps).padStart(6)}  ${r.fpsIn.toFixed(1).padStart(6)}  ${r.fpsOut.toFixed(1).padStart(7)}  ${JSON.stringify(r.fpsOutPerRound).padEnd(15)}  ${r.rttP50Ms.toFixed(1).padStart(7)}  ${r.rttP99Ms.toFixed(1).padStart(7)}  ${r.errors.length}`,
    );
  }
  for (const r of results) for (const error of r.errors) console.log(`${r.tree}/${r.format}/${r.cameraFps}: ${error}`);
  console.log('\nper frame p50 / p99 as the page showed it last:');
  for (const r of results) console.log(`${r.tree.padEnd(8)} ${r.format.padEnd(6)}  ${String(r.cameraFps).padStart(6)}  ${r.lastStages}`);
  if (PROFILE_DIR !== undefined) {
    for (const r of results) {
      const path = join(PROFILE_DIR, `page-${r.tree}-${r.format}-${r.cameraFps}.cpuprofile`);
      if (!existsSync(path)) continue;
      console.log(`\npage main thread (${r.tree}, ${r.format}, camera ${r.cameraFps} fps), self time by function, % of busy time:`);
      for (const row of cpuProfileSummary(path, 12))
        console.log(`${String(row.busyShare).padStart(6)}%  ${String(row.selfMs).padStart(6)} ms  ${row.fn}`);
    }
  }
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(
    join(repoRoot, 'bench-results/demo.json'),
    `${JSON.stringify({ machine: { node: process.version, cpus: cpus().length, loadavg: load }, when: new Date().toISOString(), size: SIZE, query: EXTRA_QUERY, formats: FORMATS, rounds: ROUNDS, secondsPerCell: SECONDS, results }, null, 2)}\n`,
  );
  console.log('written to bench-results/demo.json');
}

await main();
// werift keeps UDP sockets referenced after close; the figures are written, so end here.
process.exit(0);
