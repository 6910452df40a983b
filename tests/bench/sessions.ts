// npm run bench:sessions [-- --sessions 1,5,10,20,40 --transports datachannel,websocket --seconds 10 --procs 4 --cpu-prof
//                            --compare <dir of another checkout, e.g. the code before a change>]
//
// N concurrent Node-client sessions per transport, each streaming 320x240 I420 at 15 fps through its own
// sandboxed node that touches the frame, against one real edge process per (transport, N). Prints per session:
// fps out, round trip p50/p99, drops (edge queue drops + failures + frames lost), and the edge's CPU (all
// threads, and its main thread alone), the client processes' CPU, the load average and RSS per session; writes
// bench-results/sessions.json. Clients run in several child processes; on a 2-core machine they share the cores
// with the edge, so their CPU is printed to show when they, not the edge, saturate the machine. With --cpu-prof
// the edge and the first client process run under `node --cpu-prof`, and the heaviest functions of the edge's
// main thread, of its busiest worker and of that client's main thread are printed. With
// --compare, every configuration runs against that checkout's edge too, right after this one's (interleaved).
// Figures are from one run on a shared 2-core machine: read them as what this machine did then.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FROM_SOURCES } from '../support/fromSources.ts';
import { repoRoot, startEdge, type EdgeLaunch } from '../support/edgeProcess.ts';
import { cpuProfileSummary } from './cpuProfileSummary.ts';
import type { ClientJob, SessionReport } from './sessionClients.ts';
import { percentile, round } from './stats.ts';

type Transport = 'datachannel' | 'websocket';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const SESSION_COUNTS = (flag('sessions') ?? '1,5,10,20,40').split(',').map(Number);
const TRANSPORTS = (flag('transports') ?? 'datachannel,websocket').split(',') as Transport[];
const SECONDS = Number(flag('seconds') ?? 10);
const PROCS = Number(flag('procs') ?? 4);
const FPS = 15;
const WARMUP_SECONDS = 2;
const CPU_PROF = process.argv.includes('--cpu-prof');
const CLIENT = fileURLToPath(new URL('./sessionClients.ts', import.meta.url));
const CLOCK_TICKS = 100;
const COMPARE = flag('compare');
const EDGES: Array<{ name: string; launch: EdgeLaunch | undefined }> = [
  { name: 'this', launch: undefined },
  ...(COMPARE ? [{ name: COMPARE, launch: { cli: [...FROM_SOURCES, 'packages/edge-server/src/cli.ts'], cwd: COMPARE } }] : []),
];

/** utime + stime of a process (all threads) or of one thread, in ms (Linux /proc). */
function cpuMs(path: string): number {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

function startClients(job: ClientJob, profileDir: string | undefined): ChildProcess {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  return fork(CLIENT, [JSON.stringify(job)], { execArgv: [...FROM_SOURCES, ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string; error?: string }): void => {
      if (message.type === 'error') reject(new Error(message.error));
      else if (message.type === type) resolve(message as T);
      else return;
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
  });
}

interface Row {
  edge: string;
  transport: Transport;
  sessions: number;
  transportsUsed: Record<string, number>;
  fpsPerSession: { p50: number; min: number };
  rttMs: { p50: number; p99: number };
  dropsPercent: number;
  lostPercent: number;
  failures: string[];
  edgeCpuPercent: number;
  edgeMainThreadCpuPercent: number;
  edgeCpuMsPerFrame: number;
  /** CPU of all client processes together (% of one core): on 2 cores they share the machine with the edge. */
  clientCpuPercent: number;
  /** The machine's 1-minute load average when the configuration finished (other work shares the cores). */
  loadAverage: number;
  rssMbPerSession: number;
  profile?: {
    mainThread: Array<{ fn: string; busyShare: number }>;
    busiestWorker: Array<{ fn: string; busyShare: number }>;
    firstClient: Array<{ fn: string; busyShare: number }>;
  };
}

async function run(edgeName: string, launch: EdgeLaunch | undefined, transport: Transport, sessions: number): Promise<Row> {
  const profileDir = CPU_PROF ? mkdtempSync(join(tmpdir(), 'remotemedia-sessions-prof-')) : undefined;
  const clientProfileDir = CPU_PROF ? mkdtempSync(join(tmpdir(), 'remotemedia-sessions-client-prof-')) : undefined;
  const edge = await startEdge(
    ['--max-sessions', String(sessions + 8), '--session-grace-ms', '0'],
    {},
    profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    launch,
  );
  const pid = edge.process.pid!;
  const rssBefore = rssMb(pid);
  const procs = Math.min(PROCS, sessions);
  const children: ChildProcess[] = [];
  let row: Row;
  try {
    for (let p = 0; p < procs; p++) {
      const share = Math.floor(sessions / procs) + (p < sessions % procs ? 1 : 0);
      children.push(
        startClients(
          { url: edge.url, transport, sessions: share, fps: FPS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, seed: p * 1000 },
          p === 0 ? clientProfileDir : undefined,
        ),
      );
    }
    const ready = await Promise.all(children.map((child) => next<{ transports: string[] }>(child, 'ready')));
    const transportsUsed: Record<string, number> = {};
    for (const used of ready.flatMap((r) => r.transports)) transportsUsed[used] = (transportsUsed[used] ?? 0) + 1;
    const done = children.map((child) => next<{ reports: SessionReport[] }>(child, 'done'));
    for (const child of children) child.send('go');
    // The measured window: after the warm-up, for SECONDS.
    await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
    const cpu0 = cpuMs(`/proc/${pid}/stat`);
    const main0 = cpuMs(`/proc/${pid}/task/${pid}/stat`);
    const clientCpu = (): number => children.reduce((sum, child) => sum + cpuMs(`/proc/${child.pid}/stat`), 0);
    const clients0 = clientCpu();
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
    const elapsedMs = performance.now() - t0;
    const cpu = cpuMs(`/proc/${pid}/stat`) - cpu0;
    const mainCpu = cpuMs(`/proc/${pid}/task/${pid}/stat`) - main0;
    const clientsCpu = clientCpu() - clients0;
    const rssAfter = rssMb(pid);
    const reports = (await Promise.all(done)).flatMap((d) => d.reports);
    const sent = reports.reduce((s, r) => s + r.sent, 0);
    const received = reports.reduce((s, r) => s + r.received, 0);
    const notReturned = reports.reduce((s, r) => s + r.dropped + r.failed + r.lost, 0);
    const lost = reports.reduce((s, r) => s + r.lost, 0);
    const fps = reports.map((r) => r.received / SECONDS);
    const rtts = reports.flatMap((r) => r.rttMs);
    row = {
      edge: edgeName,
      transport,
      sessions,
      transportsUsed,
      fpsPerSession: { p50: round(percentile(fps, 50), 1), min: round(Math.min(...fps), 1) },
      rttMs: { p50: round(percentile(rtts, 50), 1), p99: round(percentile(rtts, 99), 1) },
      dropsPercent: round((notReturned / Math.max(1, sent)) * 100, 2),
      lostPercent: round((lost / Math.max(1, sent)) * 100, 2),
      failures: [...new Set(reports.flatMap((r) => r.failures))].slice(0, 3),
      edgeCpuPercent: round((cpu / elapsedMs) * 100, 1),
      edgeMainThreadCpuPercent: round((mainCpu / elapsedMs) * 100, 1),
      edgeCpuMsPerFrame: round(cpu / Math.max(1, (received * elapsedMs) / (SECONDS * 1000)), 2),
      clientCpuPercent: round((clientsCpu / elapsedMs) * 100, 1),
      loadAverage: round(loadavg()[0]!, 1),
      rssMbPerSession: round((rssAfter - rssBefore) / sessions, 1),
    };
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
    // SIGTERM: a graceful exit is when node writes its CPU profiles.
    await edge.stop();
  }
  if (profileDir !== undefined && clientProfileDir !== undefined) {
    // The first client process exits on its own after its report: give it a moment to write its profile.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    row.profile = summarizeProfiles(profileDir, clientProfileDir);
  }
  return row;
}

/** The main thread's profile is the edge's first; of the workers', the one with the most samples. */
function summarizeProfiles(dir: string, clientDir: string): Row['profile'] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  if (files.length === 0) return undefined;
  // Node names them CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
  const main = files.find((f) => f.split('.').at(-3) === '0') ?? files[0]!;
  const workers = files.filter((f) => f !== main).sort((a, b) => statSync(b).size - statSync(a).size);
  const top = (file: string): Array<{ fn: string; busyShare: number }> => cpuProfileSummary(file, 8).map(({ fn, busyShare }) => ({ fn, busyShare }));
  const client = readdirSync(clientDir).find((f) => f.endsWith('.cpuprofile') && f.split('.').at(-3) === '0');
  return { mainThread: top(main), busiestWorker: workers[0] ? top(workers[0]) : [], firstClient: client ? top(join(clientDir, client)) : [] };
}

const rows: Row[] = [];
for (const transport of TRANSPORTS) {
  for (const sessions of SESSION_COUNTS) {
    for (const { name, launch } of EDGES) {
      let row: Row;
      try {
        row = await run(name, launch, transport, sessions);
      } catch (error) {
        // One configuration that could not run (an edge that did not start on a loaded machine) is reported, not fatal.
        console.log(
          `${COMPARE ? `[${name}] ` : ''}${transport.padEnd(11)} ${String(sessions).padStart(3)} sessions: did not run: ${String(error).split('\n')[0]}`,
        );
        continue;
      }
      rows.push(row);
      console.log(
        `${COMPARE ? `[${name}] ` : ''}${transport.padEnd(11)} ${String(sessions).padStart(3)} sessions: fps/session p50 ${row.fpsPerSession.p50} (min ${row.fpsPerSession.min}), ` +
          `rtt p50 ${row.rttMs.p50} ms p99 ${row.rttMs.p99} ms, drops ${row.dropsPercent}% (lost ${row.lostPercent}%), ` +
          `edge CPU ${row.edgeCpuPercent}% (main thread ${row.edgeMainThreadCpuPercent}%), ${row.edgeCpuMsPerFrame} ms/frame, ` +
          `clients CPU ${row.clientCpuPercent}%, load ${row.loadAverage}, ` +
          `RSS ${row.rssMbPerSession} MB/session, on ${JSON.stringify(row.transportsUsed)}${row.failures.length ? `, failures: ${row.failures.join(' | ')}` : ''}`,
      );
      if (row.profile) {
        console.log('  main thread:', row.profile.mainThread.map((f) => `${f.fn} ${f.busyShare}%`).join('; '));
        console.log('  busiest worker:', row.profile.busiestWorker.map((f) => `${f.fn} ${f.busyShare}%`).join('; '));
        console.log('  first client process:', row.profile.firstClient.map((f) => `${f.fn} ${f.busyShare}%`).join('; '));
      }
    }
  }
}
mkdirSync(join(repoRoot, 'bench-results'), { recursive: true });
writeFileSync(
  join(repoRoot, 'bench-results', 'sessions.json'),
  `${JSON.stringify({ fps: FPS, frame: '320x240 i420', seconds: SECONDS, clientProcesses: PROCS, rows }, null, 2)}\n`,
);
console.log('written to bench-results/sessions.json');
