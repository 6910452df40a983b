// `npm run bench:cluster`: a real redis-server and three real edge processes on 127.0.0.1.
//   - resume after kill -9: a Node client streams frames through a persistent counter; the edge it is on is
//     killed with SIGKILL; measured from the kill to the first frame answered again (by another edge).
//     BENCH_KILLS rounds (20); each killed edge is replaced by a fresh one so three are always up, and the
//     next round waits BENCH_SETTLE_MS (5000) for it to start its workers.
//   - migration pause: BENCH_SESSIONS clients (6) stream through persistent counters (routing spreads them
//     over the edges); the edge holding most of them is drained (SIGTERM); per session moved, the gap between
//     its last frame answered before the move and its first answered after. BENCH_DRAINS rounds (3).
//   - routing overhead at connect: connect() to an edge that sends the client on to a less loaded one,
//     against connect() straight to an edge that serves it, interleaved (BENCH_CONNECTS pairs, 20).
// Prints a table and writes bench-results/cluster.json. The machine is shared: figures are of one run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { connect, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { packCounter } from '../support/edgeClients.ts';
import { seenLoad, startClusterEdge, startEdgeCluster, TEST_HEARTBEAT_MS } from '../support/edgeCluster.ts';
import { repoRoot, type EdgeProcess } from '../support/edgeProcess.ts';
import { summarize } from './stats.ts';

const KILLS = Number(process.env.BENCH_KILLS ?? 20);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 6);
const DRAINS = Number(process.env.BENCH_DRAINS ?? 3);
const CONNECTS = Number(process.env.BENCH_CONNECTS ?? 20);
/** A round that has not resumed within this has failed for good: stop rather than hang. */
const ROUND_TIMEOUT_MS = 30_000;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5000);
const RECONNECT = { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 40 };

const pkg = await packCounter();
const cluster = await startEdgeCluster(3);
process.stdout.write(`redis-server and 3 edges up (load average ${loadavg()[0]!.toFixed(1)})\n`);
// A round that throws ends the process: no edge may outlive it.
process.once('exit', () => {
  for (const edge of cluster.edges) edge.process.kill('SIGKILL');
});
const live = (): EdgeProcess[] => cluster.edges.filter((edge) => edge.process.exitCode === null && edge.process.signalCode === null);
const urls = (): string[] => live().map((edge) => edge.url);

/** A client streaming frames through its persistent counter, one in flight, recording when each was answered. */
async function streamingClient(edges: string[]): Promise<{
  session: RemoteSession;
  node: RemoteNode;
  answeredAt: number[];
  failures: number;
  stop(): Promise<void>;
}> {
  const session = await connect(edges, { transport: 'websocket', reconnect: RECONNECT });
  const node = await session.deploy(pkg, { persist: true });
  const state = { answeredAt: [] as number[], failures: 0, running: true };
  const loop = (async () => {
    while (state.running) {
      try {
        await node.process({ tag: 'bench' });
        state.answeredAt.push(performance.now());
      } catch {
        state.failures++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  })();
  return {
    session,
    node,
    get answeredAt() {
      return state.answeredAt;
    },
    get failures() {
      return state.failures;
    },
    async stop() {
      state.running = false;
      await loop;
      session.close();
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + ROUND_TIMEOUT_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`${what} within ${ROUND_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A fresh edge in place of one killed or drained. It gets SETTLE_MS to start its sandbox and built-in workers
 * before the next round, so a round measures a resume, not a cold start competing for the two cores.
 */
async function replaceEdge(): Promise<void> {
  const edge = await startClusterEdge(cluster.redis.url);
  cluster.edges.push(edge);
  await seenLoad(cluster, edge.url, 0);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

// ---------------------------------------------------------------- routing overhead at connect (first: on a fresh cluster)
// Routing keeps the edges within a session of each other: to have one loaded, hold clients on every edge, then
// let go of those on all edges but one.
const spread: RemoteSession[] = [];
for (let i = 0; i < 6; i++) spread.push(await connect(urls(), { transport: 'websocket' }));
const holdingOn = (url: string): number => spread.filter((session) => session.stats().edgeUrl === url).length;
const loaded = live().reduce((most, edge) => (holdingOn(edge.url) > holdingOn(most.url) ? edge : most));
const holders = spread.filter((session) => session.stats().edgeUrl === loaded.url);
for (const session of spread) if (!holders.includes(session)) session.close();
for (const edge of live()) await seenLoad(cluster, edge.url, edge === loaded ? holders.length : 0);
const directMs: number[] = [];
const redirectedMs: number[] = [];
const misrouted = { direct: 0, redirected: 0 };
for (let i = 0; i < CONNECTS; i++) {
  let started = performance.now();
  const sent = await connect(loaded.url, { transport: 'websocket' });
  const took = performance.now() - started;
  const target = sent.stats().edgeUrl;
  sent.close();
  if (target === loaded.url) misrouted.redirected++;
  else redirectedMs.push(took);
  await new Promise((resolve) => setTimeout(resolve, TEST_HEARTBEAT_MS * 2));
  started = performance.now();
  const straight = await connect(target, { transport: 'websocket' });
  const tookStraight = performance.now() - started;
  if (straight.stats().edgeUrl === target) directMs.push(tookStraight);
  else misrouted.direct++;
  straight.close();
  await new Promise((resolve) => setTimeout(resolve, TEST_HEARTBEAT_MS * 2));
}
for (const session of holders) session.close();

// ---------------------------------------------------------------- resume after kill -9
const resumeMs: number[] = [];
for (let round = 0; round < KILLS; round++) {
  const client = await streamingClient(urls());
  await until(() => client.answeredAt.length >= 10, 'frames before the kill');
  const victim = live().find((edge) => edge.url === client.session.stats().edgeUrl)!;
  const answeredBefore = client.answeredAt.length;
  const killedAt = performance.now();
  victim.process.kill('SIGKILL');
  await until(() => client.answeredAt.some((t, i) => i >= answeredBefore && t > killedAt), 'a frame answered after the kill');
  resumeMs.push(client.answeredAt.find((t) => t > killedAt)! - killedAt);
  await client.stop();
  await replaceEdge();
  process.stdout.write(`kill ${round + 1}/${KILLS}: frames again after ${Math.round(resumeMs.at(-1)!)} ms\n`);
}

// ---------------------------------------------------------------- migration pause
const pauseMs: number[] = [];
for (let round = 0; round < DRAINS; round++) {
  const clients: Array<Awaited<ReturnType<typeof streamingClient>>> = [];
  for (let i = 0; i < SESSIONS; i++) clients.push(await streamingClient(urls()));
  await until(() => clients.every((client) => client.answeredAt.length >= 10), 'frames before the drain');
  // Routing spreads the clients over the edges: the edge holding most of them is drained.
  const holding = (edge: EdgeProcess): number => clients.filter((client) => client.session.stats().edgeUrl === edge.url).length;
  const drained = live().reduce((most, edge) => (holding(edge) > holding(most) ? edge : most));
  const onDrained = clients.filter((client) => client.session.stats().edgeUrl === drained.url);
  const drainAt = performance.now();
  drained.process.kill('SIGTERM');
  await until(
    () => onDrained.every((client) => client.session.stats().edgeUrl !== drained.url && client.answeredAt.at(-1)! > drainAt + 1),
    'every session answering on another edge',
  );
  // The move is the longest gap between two answered frames of a session.
  for (const client of onDrained) pauseMs.push(Math.max(...gaps(client.answeredAt)));
  await Promise.all(clients.map((client) => client.stop()));
  await replaceEdge();
  process.stdout.write(`drain ${round + 1}/${DRAINS}: ${onDrained.length} sessions moved\n`);
}

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

const direct = summarize(directMs);
const redirected = summarize(redirectedMs);
const output = {
  date: new Date().toISOString(),
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  edges: 3,
  resumeAfterKillMs: summarize(resumeMs),
  migrationPauseMs: summarize(pauseMs),
  connectMs: { direct, redirected, overheadP50: Math.round((redirected.p50 - direct.p50) * 1000) / 1000, misrouted },
};
const rows: Array<[string, string]> = [
  [
    'resume after kill -9 (kill -> frames again)',
    `p50 ${Math.round(output.resumeAfterKillMs.p50)} ms, p99 ${Math.round(output.resumeAfterKillMs.p99)} ms (n=${resumeMs.length})`,
  ],
  [
    'migration pause per session (drain)',
    `p50 ${Math.round(output.migrationPauseMs.p50)} ms, p99 ${Math.round(output.migrationPauseMs.p99)} ms (n=${pauseMs.length})`,
  ],
  ['connect, served by the edge reached', `p50 ${Math.round(direct.p50)} ms (n=${direct.n})`],
  [
    'connect, sent on to a less loaded edge',
    `p50 ${Math.round(redirected.p50)} ms (n=${redirected.n}); overhead p50 ${Math.round(output.connectMs.overheadP50)} ms`,
  ],
];
for (const [what, figure] of rows) process.stdout.write(`${what.padEnd(46)} ${figure}\n`);
mkdirSync(`${repoRoot}bench-results`, { recursive: true });
writeFileSync(`${repoRoot}bench-results/cluster.json`, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`written to bench-results/cluster.json (load average ${output.loadAverage.join(' ')})\n`);
await cluster.stop();
