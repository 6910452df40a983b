/**
 * Issue 15, item 4: one session's code that pins a shared sandbox worker in a native builtin (QuickJS does not
 * check its deadline there) gets the whole worker terminated by the watchdog. Before the fix every other
 * session's sandbox on that worker was lost with it (SANDBOX_CRASHED, then SANDBOX_DISCARDED for good), and the
 * offender could do it again and again. Now only the offender pays: bystanders are re-created (persistent ones
 * from their last snapshot) and told with a node-restored event, their waiting frames and calls run on the new
 * instance, and the offender's session moves to a quarantine worker, so a second offence costs others nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, packSources, type NodePackage, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';
import { eventually } from '../support/eventually.ts';

/** Pins its worker: a quadratic String.prototype.indexOf runs for seconds without consulting the interrupt. */
const OFFENDER_SOURCE = `
export class Offender {
  ping() { return 'pong'; }
  pin() { return 'a'.repeat(400000).indexOf('a'.repeat(200000) + 'b'); }
}
`;

type Restored = { nodeId: string; nodeName: string; state: 'snapshot' | 'fresh'; reason: string };
type Outcome = { seq: number; count?: number; code?: string };

interface StatusNode {
  nodeId: string;
  worker?: string;
}
interface Status {
  sessions: Array<{ id: string; quarantined: boolean; nodes: StatusNode[] }>;
  sandboxes: Array<{ session: string; nodeId: string; memoryBytes: number | null }>;
  pool: { workerRestarts: number; quarantine: { running: boolean; sessions: number } };
}

async function status(edge: EdgeProcess): Promise<Status> {
  return (await fetch(`${edge.url}/status`)).json() as Promise<Status>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `node`'s worker is busy with it: /status then gets no memory figure from it (null after 500 ms). */
async function busy(edge: EdgeProcess, session: RemoteSession, node: RemoteNode): Promise<void> {
  await eventually(
    () => status(edge),
    (s) => s.sandboxes.some((x) => x.session === session.sessionId && x.nodeId === node.nodeId && x.memoryBytes === null),
    `${node.nodeId} pinning its worker`,
  );
}

/** Sends a frame to `node` every `everyMs` until stopped (at most 300), recording how each one ended. */
function stream(node: RemoteNode, everyMs: number): { stop(): Promise<Outcome[]> } {
  const pending: Array<Promise<Outcome>> = [];
  let running = true;
  const loop = (async () => {
    for (let seq = 1; running && seq <= 300; seq++) {
      pending.push(
        node.process({ tag: seq }).then(
          (items) => ({ seq, count: ([...items][0] as { count: number }).count }),
          (error: unknown) => ({ seq, code: String((error as { code?: string }).code ?? error) }),
        ),
      );
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return Promise.all(pending);
    },
  };
}

describe("a worker killed by one session's runaway code costs only that session", () => {
  let edge: EdgeProcess;
  let victim: RemoteSession;
  let offender: RemoteSession;
  let offenderPkg: NodePackage;
  let counter: RemoteNode;
  let persistent: RemoteNode;
  let pinner: RemoteNode;
  const restored: Restored[] = [];

  beforeAll(async () => {
    // One shared worker: the victim's sandboxes and the offender's are co-tenants. Watchdog: 200 ms limit +
    // 500 ms overhead + 1000 ms grace.
    edge = await startEdge(['--sandbox-workers', '1', '--sandbox-call-timeout-ms', '200', '--snapshot-interval-ms', '0']);
    victim = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    victim.on('nodeRestored', (info) => restored.push(info));
    const pkg = await packCounter();
    counter = await victim.deploy(pkg);
    persistent = await victim.deploy(pkg, { persist: true });
    offender = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    offenderPkg = await packSources({ sources: { 'offender.js': OFFENDER_SOURCE }, entry: 'offender.js', exportName: 'Offender' });
    pinner = await offender.deploy(offenderPkg);
  });

  afterAll(async () => {
    victim?.close();
    offender?.close();
    await edge?.stop();
  });

  it("re-creates the victim's nodes, tells it, and loses none of its frames or calls", async () => {
    for (let i = 0; i < 3; i++) await counter.process({ tag: 'before' });
    expect(await persistent.call('add', 10)).toBe(10);
    await persistent.save();
    // Not saved: a restore from the snapshot comes back with 10.
    expect(await persistent.call('add', 5)).toBe(15);

    const frames = stream(counter, 40);
    const pin = pinner.call('pin').then(
      () => undefined,
      (error: unknown) => error as { code?: string; message: string },
    );
    await busy(edge, offender, pinner);
    // Queued for the victim while the worker is pinned: it must run on the re-created instance.
    const queuedCall = persistent.call('get');

    const offence = await pin;
    expect(offence?.code).toBe('SANDBOX_TIMEOUT');
    expect(offence?.message).toContain('did not stop when interrupted');
    await eventually(
      () => restored.length,
      (n) => n >= 2,
      'node-restored events',
      15_000,
    );
    expect(await queuedCall).toBe(10);
    // Frames go on being processed on the re-created node.
    await sleep(400);
    const outcomes = await frames.stop();

    expect(restored.map(({ nodeId, state }) => ({ nodeId, state })).sort((a, b) => a.nodeId.localeCompare(b.nodeId))).toEqual(
      [
        { nodeId: counter.nodeId, state: 'fresh' },
        { nodeId: persistent.nodeId, state: 'snapshot' },
      ].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    );
    for (const event of restored) {
      expect(event.nodeName).toBe('Counter');
      expect(event.reason).toContain('another node on its worker would not stop at its time limit');
    }

    // Every frame got an output or a drop notice (a full queue, or its deadline passed while the node was being
    // re-created); none an error, none silence (stop() awaited them all).
    expect(outcomes.filter((o) => o.count === undefined && o.code !== 'FRAME_DROPPED' && o.code !== 'FRAME_EXPIRED')).toEqual([]);
    // Outputs count on from 4 on the old instance, then from 1 on the fresh one: no frame ran twice or vanished
    // in between.

    const counts = outcomes.flatMap((o) => (o.count === undefined ? [] : [o.count]));
    const reset = counts.indexOf(1);
    expect(reset).toBeGreaterThanOrEqual(0);
    expect(counts.length - reset).toBeGreaterThanOrEqual(3);
    expect(counts).toEqual([...Array.from({ length: reset }, (_, i) => i + 4), ...Array.from({ length: counts.length - reset }, (_, i) => i + 1)]);

    // The persistent node came back with its snapshot and keeps working.
    expect(await persistent.call('add', 1)).toBe(11);
    const report = await status(edge);
    const victimStatus = report.sessions.find((s) => s.id === victim.sessionId)!;
    expect(victimStatus.quarantined).toBe(false);
    expect(victimStatus.nodes.map((n) => n.worker)).toEqual(['shared', 'shared']);
    expect(report.sessions.find((s) => s.id === offender.sessionId)!.quarantined).toBe(true);
  });

  it("refuses the offending instance afterwards and runs the offender's later nodes on the quarantine worker", async () => {
    const refused = (await pinner.call('ping').catch((e: unknown) => e)) as { code?: string; message: string };
    expect(refused.code).toBe('SANDBOX_DISCARDED');
    expect(refused.message).toContain('a call exceeded its time limit');

    const second = await offender.deploy(offenderPkg);
    expect(await second.call('ping')).toBe('pong');
    const report = await status(edge);
    const offenderNodes = report.sessions.find((s) => s.id === offender.sessionId)!.nodes;
    expect(offenderNodes.find((n) => n.nodeId === second.nodeId)?.worker).toBe('quarantine');
    expect(report.pool.quarantine).toMatchObject({ running: true, sessions: 1 });
  });

  it('makes a second offence cost the victim nothing', async () => {
    const second = await offender.deploy(offenderPkg);
    const restarts = (await status(edge)).pool.workerRestarts;
    const eventsBefore = restored.length;
    const before = ([...(await counter.process({ tag: 'x' }))][0] as { count: number }).count;

    const order: string[] = [];
    const pin = second.call('pin').then(
      () => undefined,
      (error: unknown) => error as { code?: string },
    );
    void pin.then(() => order.push('offender'));
    await busy(edge, offender, second);
    // While the quarantine worker is pinned, the victim's nodes answer at once: they are on another worker.
    const answered = Promise.all([counter.process({ tag: 'during' }), persistent.call('add', 1)]).then((values) => {
      order.push('victim');
      return values;
    });
    const [during, total] = await answered;
    expect(([...during][0] as { count: number }).count).toBe(before + 1);
    expect(total).toBe(12);
    expect((await pin)?.code).toBe('SANDBOX_TIMEOUT');
    expect(order).toEqual(['victim', 'offender']);

    await eventually(
      () => status(edge),
      (s) => s.pool.workerRestarts === restarts + 1,
      'the quarantine worker replaced',
      15_000,
    );
    // Not re-created, not reset: the victim never noticed.
    expect(restored.length).toBe(eventsBefore);
    expect(([...(await counter.process({ tag: 'after' }))][0] as { count: number }).count).toBe(before + 2);
    expect(await persistent.call('get')).toBe(12);
  });
});
