// `npm run bench:abuse`: for each attack class of issue 15, a fresh edge (2 sandbox workers, default limits), a
// victim streaming frames through a sandboxed node and a built-in, and a newcomer connecting every 1.5 s;
// measured for a baseline window, then while one tenant (its own process) attacks. Prints a table and writes
// bench-results/abuse.json. An edge that dies is reported as such; the next attack gets a new one.
//   npm run bench:abuse -- worker-pin console-flood   (or BENCH_ABUSE_ONLY=worker-pin,console-flood)
//   BENCH_ABUSE_BASELINE_S=4   BENCH_ABUSE_ATTACK_S=8
//   BENCH_ABUSE_CPU_PROF=<dir>: each edge runs under `node --cpu-prof` into <dir>; the top self-time functions are printed.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS } from '@remotemedia/shared';
import { repoRoot, startEdge } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';
import type { Attack } from './abuse/Attack.ts';
import { ATTACKS } from './abuse/attacks/index.ts';
import { cpuProfileSummary } from './cpuProfileSummary.ts';
import { EdgeWatch, type WatchWindow } from './abuse/EdgeWatch.ts';
import { Newcomer, type Attempt } from './abuse/Newcomer.ts';
import { pause } from './abuse/abortableWait.ts';
import { Victim, type Sample } from './abuse/Victim.ts';
import { percentile, round } from './stats.ts';

const BASELINE_MS = Number(process.env.BENCH_ABUSE_BASELINE_S ?? 4) * 1000;
const ATTACK_MS = Number(process.env.BENCH_ABUSE_ATTACK_S ?? 8) * 1000;
const ONLY_ARGS = process.argv.slice(2);
const ONLY = ONLY_ARGS.length > 0 ? ONLY_ARGS : process.env.BENCH_ABUSE_ONLY?.split(',').map((name) => name.trim());
const CPU_PROF_DIR = process.env.BENCH_ABUSE_CPU_PROF;
const VICTIM_INTERVAL_MS = 40;
const NEWCOMER_INTERVAL_MS = 1500;
/** The issue's set-up: 2 sandbox workers, every other limit at its default (listed here for the bounds). */
const EDGE_ARGS = ['--sandbox-workers', '2'];
const SANDBOX_MEMORY_MB = 32;
const CALL_TIMEOUT_MS = 1000;
const WATCHDOG_GRACE_MS = 1000;
/** p99 differences below this are scheduling noise on a shared 2-core machine, not harm. */
const NOISE_MS = 10;
/** Memory an edge may use beyond its sandboxes and reassembly buffers: heap growth, socket and send buffers. */
const BASE_ALLOWANCE_MB = 128;

interface LatencyStats {
  frames: number;
  failed: number;
  /** Frames still unanswered when the window closed (counted with the time they had waited). */
  pending: number;
  codes: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

function latency(samples: Sample[]): LatencyStats {
  const ms = samples.map((s) => s.ms);
  const codes: Record<string, number> = {};
  for (const s of samples) if (s.code !== undefined) codes[s.code] = (codes[s.code] ?? 0) + 1;
  return {
    frames: samples.length,
    failed: samples.filter((s) => s.code !== undefined).length,
    pending: samples.filter((s) => s.pending).length,
    codes,
    p50: round(percentile(ms, 50), 1),
    p99: round(percentile(ms, 99), 1),
    max: ms.length > 0 ? round(Math.max(...ms), 1) : Number.NaN,
  };
}

function arrivals(attempts: Attempt[]): { tries: number; ok: number; p50: number; codes: Record<string, number> } {
  const codes: Record<string, number> = {};
  for (const a of attempts) if (a.code !== undefined) codes[a.code] = (codes[a.code] ?? 0) + 1;
  const ok = attempts.filter((a) => a.code === undefined);
  return {
    tries: attempts.length,
    ok: ok.length,
    p50: round(
      percentile(
        ok.map((a) => a.ms),
        50,
      ),
      1,
    ),
    codes,
  };
}

interface Phase {
  victim: LatencyStats;
  newcomers: ReturnType<typeof arrivals>;
  edge: WatchWindow;
}

interface EdgeOutcome {
  aliveAfter: boolean;
  exit: EdgeWatch['exit'];
  stderrTail: string | undefined;
}

interface AttackResult {
  attack: string;
  what: string;
  cpuBound: boolean;
  attacker: Omit<AttackerRun, 'stderrTail'> & { stderrTail?: string };
  edge: EdgeOutcome;
  victim: { before: LatencyStats; during: LatencyStats; p99Ratio: number; p99LimitMs: number; repairs: Record<string, number> };
  newcomers: { before: Phase['newcomers']; during: Phase['newcomers'] };
  health: { before: WatchWindow['health']; during: WatchWindow['health'] };
  rssMb: { before: WatchWindow['rssMb']; during: WatchWindow['rssMb']; growthMb: number; boundMb: number };
  goals: { noCrash: boolean; victimP99: boolean; victimNoErrors: boolean; memoryBounded: boolean; newcomersServed: boolean };
}

interface AttackerRun {
  ready: boolean;
  setupMs: number | null;
  counts: Record<string, number>;
  stderrTail: string;
}

/** Runs the attacker in its own process; resolves `ready` on READY, `done` with its summary when it exits. */
function spawnAttacker(attack: Attack, url: string): { ready: Promise<boolean>; done: Promise<AttackerRun>; kill(): void } {
  const child = spawn(process.execPath, [...FROM_SOURCES, 'tests/bench/abuse/attacker.ts', attack.name, url, String(ATTACK_MS)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady: (ready: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('READY\n')) markReady(true);
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const done = new Promise<AttackerRun>((resolve) => {
    child.once('exit', () => {
      markReady(false);
      const summary = /SUMMARY (.*)\n/.exec(stdout)?.[1];
      const parsed = summary ? (JSON.parse(summary) as { counts: Record<string, number>; setupMs: number | null }) : { counts: {}, setupMs: null };
      resolve({ ready: stdout.includes('READY\n'), ...parsed, stderrTail: stderr.slice(-1000) });
    });
  });
  return { ready, done, kill: () => child.kill('SIGKILL') };
}

function measure(victim: Victim, newcomer: Newcomer, watch: EdgeWatch): Phase {
  return { victim: latency(victim.take()), newcomers: arrivals(newcomer.take()), edge: watch.take() };
}

function discard(victim: Victim, newcomer: Newcomer, watch: EdgeWatch): void {
  victim.take();
  newcomer.take();
  watch.take();
}

async function runAttack(attack: Attack): Promise<AttackResult> {
  const profileDir = CPU_PROF_DIR === undefined ? undefined : join(CPU_PROF_DIR, attack.name);
  const edge = await startEdge(EDGE_ARGS, {}, profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]);
  const watch = new EdgeWatch(edge);
  const victim = await Victim.start(edge.url, VICTIM_INTERVAL_MS);
  const newcomer = new Newcomer(edge.url, NEWCOMER_INTERVAL_MS);
  let before: Phase | undefined;
  let during: Phase | undefined;
  let attacker: AttackerRun | undefined;
  let aliveAfter = false;
  try {
    // Warm-up (first sandbox calls, JIT) is not the baseline.
    await pause(2000);
    discard(victim, newcomer, watch);
    await pause(BASELINE_MS);
    before = measure(victim, newcomer, watch);

    const run = spawnAttacker(attack, edge.url);
    const exited = new Promise<void>((resolve) => edge.process.once('exit', () => resolve()));
    const ready = await Promise.race([run.ready, exited.then(() => false), pause(60_000).then(() => false)]);
    // Set-up (deploys, connections) is not the attack: its effect is left out of both windows.
    discard(victim, newcomer, watch);
    if (ready) await Promise.race([pause(ATTACK_MS), exited]);
    during = measure(victim, newcomer, watch);
    const killer = setTimeout(() => run.kill(), 10_000);
    attacker = await run.done;
    clearTimeout(killer);
    if (watch.alive) {
      const health = await fetch(`${edge.url}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      aliveAfter = health?.ok === true && watch.alive;
    }
  } finally {
    watch.stop();
    await Promise.all([victim.stop(), newcomer.stop()]);
    await edge.stop();
  }
  if (profileDir !== undefined) printProfile(profileDir);
  return report(
    attack,
    before!,
    during!,
    attacker!,
    { aliveAfter, exit: watch.exit, stderrTail: watch.exit ? edge.stderr().slice(-1500) : undefined },
    victim.repairs,
  );
}

/** The edge's main thread: the profile written at exit (worker threads write theirs beside it, smaller). */
function printProfile(dir: string): void {
  const profiles = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (profiles[0] === undefined) return;
  process.stdout.write(`  edge profile ${profiles[0]} (self time, share of busy time):\n`);
  for (const entry of cpuProfileSummary(profiles[0], 20))
    process.stdout.write(`    ${String(entry.selfMs).padStart(6)} ms ${String(entry.busyShare).padStart(5)}%  ${entry.fn}\n`);
}

function report(
  attack: Attack,
  before: Phase,
  during: Phase,
  attacker: AttackerRun,
  edge: EdgeOutcome,
  repairs: Record<string, number>,
): AttackResult {
  const strictLimit = Math.max(2 * before.victim.p99, before.victim.p99 + NOISE_MS);
  const cpuAllowance = attack.cpuBound ? CALL_TIMEOUT_MS + WATCHDOG_GRACE_MS : 0;
  const p99Limit = strictLimit + cpuAllowance;
  const memoryBoundMb =
    attack.sandboxes * SANDBOX_MEMORY_MB + attack.connections * (DEFAULT_LIMITS.maxInflightBytes / 1024 / 1024) + BASE_ALLOWANCE_MB;
  const growthMb = during.edge.rssMb.peak - before.edge.rssMb.peak;
  const noCrash = edge.exit === undefined && edge.aliveAfter;
  // A victim whose edge died lost its service, whatever the few frames before the crash measured.
  const goals = {
    noCrash,
    victimP99: noCrash && during.victim.frames > 0 && during.victim.p99 <= p99Limit,
    victimNoErrors: noCrash && during.victim.failed === 0,
    memoryBounded: Number.isFinite(growthMb) && growthMb <= memoryBoundMb,
    newcomersServed: during.newcomers.tries > 0 && during.newcomers.ok === during.newcomers.tries,
  };
  return {
    attack: attack.name,
    what: attack.what,
    cpuBound: attack.cpuBound === true,
    attacker: {
      ready: attacker.ready,
      setupMs: attacker.setupMs,
      counts: attacker.counts,
      ...(attacker.ready ? {} : { stderrTail: attacker.stderrTail }),
    },
    edge,
    victim: {
      before: before.victim,
      during: during.victim,
      p99Ratio: round(during.victim.p99 / before.victim.p99, 2),
      p99LimitMs: round(p99Limit, 1),
      repairs,
    },
    newcomers: { before: before.newcomers, during: during.newcomers },
    health: { before: before.edge.health, during: during.edge.health },
    rssMb: { before: before.edge.rssMb, during: during.edge.rssMb, growthMb, boundMb: memoryBoundMb },
    goals,
  };
}

function row(result: AttackResult): string {
  const v = result.victim;
  const edgeState = result.edge.exit ? `DIED(${result.edge.exit.code ?? result.edge.exit.signal})` : result.edge.aliveAfter ? 'alive' : 'unhealthy';
  const cells = [
    result.attack.padEnd(30),
    edgeState.padEnd(10),
    `${v.before.p50}/${v.before.p99}`.padStart(11),
    `${v.during.p50}/${v.during.p99}`.padStart(13),
    `${v.p99Ratio}x`.padStart(8),
    `${v.during.failed}/${v.during.frames}`.padStart(9),
    `${result.newcomers.during.ok}/${result.newcomers.during.tries}`.padStart(6),
    `${result.health.during.failed}/${result.health.during.probes}`.padStart(6),
    `${result.rssMb.before.peak}->${result.rssMb.during.peak}`.padStart(11),
    `${result.rssMb.boundMb}`.padStart(6),
    Object.entries(result.goals)
      .filter(([, ok]) => !ok)
      .map(([goal]) => goal)
      .join(',') || 'all met',
  ];
  return cells.join(' ');
}

async function main(): Promise<void> {
  const unknown = ONLY?.filter((name) => !ATTACKS.some((attack) => attack.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`unknown attack ${unknown.join(', ')}; one of: ${ATTACKS.map((attack) => attack.name).join(', ')}\n`);
    process.exit(2);
  }
  const attacks = ATTACKS.filter((attack) => ONLY === undefined || ONLY.includes(attack.name));
  const started = Date.now();
  const results: Array<AttackResult | { attack: string; benchError: string }> = [];
  for (const attack of attacks) {
    process.stdout.write(`${attack.name}: ${attack.what}\n`);
    try {
      const result = await runAttack(attack);
      results.push(result);
      process.stdout.write(`  ${JSON.stringify({ edge: result.edge.exit ?? 'alive', victim: result.victim.during, goals: result.goals })}\n`);
    } catch (error) {
      // The bench itself failed (e.g. the edge would not start): say so and go on with the next attack.
      results.push({ attack: attack.name, benchError: String((error as Error)?.stack ?? error) });
      process.stdout.write(`  bench error: ${String(error)}\n`);
    }
  }
  const header = [
    'attack'.padEnd(30),
    'edge'.padEnd(10),
    'victim p50/p99 ms: before'.padStart(11),
    'during'.padStart(13),
    'p99 x'.padStart(8),
    'failed'.padStart(9),
    'new ok'.padStart(6),
    'hz bad'.padStart(6),
    'RSS MB'.padStart(11),
    'bound'.padStart(6),
    'goals missed',
  ].join(' ');
  process.stdout.write(`\n${header}\n${results.map((r) => ('benchError' in r ? `${r.attack.padEnd(30)} bench error` : row(r))).join('\n')}\n`);
  process.stdout.write(
    `\nGoals: no crash; victim p99 <= max(2x baseline, baseline + ${NOISE_MS} ms), plus ${CALL_TIMEOUT_MS + WATCHDOG_GRACE_MS} ms for CPU-bound attacks` +
      ` (one co-tenant call, up to the deadline and the watchdog's grace, may run ahead of the victim's on a shared worker);` +
      ` no victim errors; RSS growth <= attacker's sandboxes x ${SANDBOX_MEMORY_MB} MiB + its connections x maxInflightBytes + ${BASE_ALLOWANCE_MB} MiB;` +
      ` every newcomer (connect, deploy, call) during the attack got in.\n`,
  );
  const output = {
    machine: { node: process.version, cpus: cpus().length, loadavg: loadavg().map((l) => round(l, 2)) },
    when: new Date().toISOString(),
    seconds: round((Date.now() - started) / 1000, 1),
    setup: {
      edgeArgs: EDGE_ARGS,
      baselineMs: BASELINE_MS,
      attackMs: ATTACK_MS,
      victimIntervalMs: VICTIM_INTERVAL_MS,
      newcomerIntervalMs: NEWCOMER_INTERVAL_MS,
    },
    goals: {
      victimP99: `max(2 x baseline p99, baseline p99 + ${NOISE_MS} ms), + ${CALL_TIMEOUT_MS + WATCHDOG_GRACE_MS} ms when the attack is CPU-bound`,
      memory: `RSS growth <= sandboxes x ${SANDBOX_MEMORY_MB} MiB + connections x ${DEFAULT_LIMITS.maxInflightBytes / 1024 / 1024} MiB + ${BASE_ALLOWANCE_MB} MiB`,
      newcomers: 'every newcomer during the attack connected, deployed a sandboxed node and called it (5 s timeouts)',
    },
    results,
  };
  mkdirSync(`${repoRoot}bench-results`, { recursive: true });
  writeFileSync(`${repoRoot}bench-results/abuse.json`, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`written to bench-results/abuse.json (${output.seconds} s)\n`);
}

await main();
// werift and ws keep handles referenced after close; the figures are written, so end here.
process.exit(0);
