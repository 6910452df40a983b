/**
 * Sandboxes in parallel (issue 11, item 3): a new sandbox goes to the least busy worker, not merely the one with
 * the fewest sandboxes, so a node placed while another session's slow call runs does not wait behind it; and
 * each worker's busy time and queue depth are in /metrics. Outcomes are ordering and counts, not wall-clock.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import type { SandboxPoolStats } from '@remotemedia/edge-server/sandbox';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { eventually } from '../support/eventually.ts';

const SLOW_MS = 6000;

describe('sandbox placement by load, and per-worker load in /metrics', () => {
  const edge = useEdge(['--sandbox-workers', '2', '--sandbox-call-timeout-ms', '10000']);
  const sessions: RemoteSession[] = [];
  afterAll(() => {
    for (const session of sessions) session.close();
  });
  const perWorker = async (): Promise<SandboxPoolStats['perWorker']> =>
    ((await (await fetch(`${edge.url}/status`)).json()) as { pool: { perWorker: SandboxPoolStats['perWorker'] } }).pool.perWorker;
  const open = async (): Promise<RemoteSession> => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    sessions.push(session);
    return session;
  };

  it("runs a node placed during another session's slow call on the other worker, without waiting for it", async () => {
    const pkg = await packCounter();
    const [idler, slowOwner, newcomer] = [await open(), await open(), await open()];
    // Worker 0 gets three idle sandboxes, worker 1 the two slow ones: by sandbox count alone worker 1 is the emptier.
    await idler.deploy(pkg);
    const slowNodes = [await slowOwner.deploy(pkg)];
    await idler.deploy(pkg);
    slowNodes.push(await slowOwner.deploy(pkg));
    await idler.deploy(pkg);
    expect((await perWorker()).map((w) => w.sandboxes)).toEqual([3, 2]);

    let slowDone = false;
    const slowCall = slowNodes[0]!.call('slow', SLOW_MS).then((ms) => ((slowDone = true), ms));
    const queuedCall = slowNodes[1]!.call('get');
    // Worker 1 busy: the slow call running, the other node's call waiting its turn.
    const loads = await eventually(perWorker, (w) => w[1]!.busyShare >= 0.5, 'worker 1 busy with the slow call');
    // Queued: the other node's call, and the memory readings /status asks every sandbox for.
    expect(loads[1]!.atWorker).toBe(1);
    expect(loads[1]!.queued).toBeGreaterThanOrEqual(1);
    expect(await edgeMetric(edge.url, 'remotemedia_sandbox_worker_requests{worker="1",state="queued"}')).toBeGreaterThanOrEqual(1);
    expect(await edgeMetric(edge.url, 'remotemedia_sandbox_worker_requests{worker="1",state="at_worker"}')).toBe(1);

    const fast = await newcomer.deploy(pkg);
    const results: number[] = [];
    for (let i = 0; i < 5; i++) results.push((await fast.call('add', 1)) as number);
    const doneMeanwhile = slowDone;
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect((await perWorker()).map((w) => w.sandboxes)).toEqual([4, 2]);
    // The newcomer's node was created and answered five calls while the slow call was still running.
    expect(doneMeanwhile).toBe(false);

    expect(await slowCall).toBe(SLOW_MS);
    expect(await queuedCall).toBe(0);
    const busy = await perWorker();
    // The worker measured its own time on the slow call: at least what it spun for.
    expect(busy[1]!.busySeconds).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(busy[0]!.busySeconds).toBeLessThan(busy[1]!.busySeconds);
    const metric = await edgeMetric(edge.url, 'remotemedia_sandbox_worker_busy_seconds_total{worker="1"}');
    expect(metric).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(await edgeMetric(edge.url, 'remotemedia_sandbox_worker_sandboxes{worker="0"}')).toBe(4);
  });
});
