import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { SandboxPool, type NodeSandbox, type RestoredEvent } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { remoteRejection } from '../support/remoteRejection.ts';

const COUNTER = `export class Counter {
  constructor(start) { this.total = start ?? 0; }
  add(n) { this.total += n; return this.total; }
  get() { return this.total; }
}`;
const STUCK = `export default class Stuck { ping() { return 'pong'; } loop() { for (;;) {} } }`;

describe('a worker loss with two shared workers and two sessions', () => {
  let pool: SandboxPool;
  const events = new Map<string, RestoredEvent[]>();
  const counter = (tenant: string, label: string): Promise<NodeSandbox> => {
    events.set(label, []);
    return pool.create({ pkg: singleModule(COUNTER, 'Counter'), ctorArgs: [0], tenant, onRestored: (e) => events.get(label)!.push(e) });
  };

  beforeAll(() => {
    pool = new SandboxPool({ workers: 2, watchdogGraceMs: 300, allowFaultInjection: true });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('re-creates bystanders on the lost worker, moves the culprit session to quarantine with its fields, and leaves the rest alone', async () => {
    // Least-loaded placement: worker 0 gets victimA and stuck, worker 1 offenderCounter and victimB.
    const victimA = await counter('victim', 'victimA');
    const offenderCounter = await counter('offender', 'offenderCounter');
    const stuck = await pool.create({
      pkg: singleModule(STUCK),
      nodeName: 'Stuck',
      tenant: 'offender',
      limits: { callTimeoutMs: 100 },
      faults: { ignoreInterrupts: true },
    });
    const victimB = await counter('victim', 'victimB');
    expect(pool.stats().sandboxesPerWorker).toEqual([2, 2]);
    await victimA.call('add', [3]);
    await victimB.call('add', [4]);
    await offenderCounter.call('add', [7]);

    const error = await remoteRejection(stuck.call('loop', []), ErrorCode.SandboxTimeout);
    expect(error.message).toMatch(/^loop did not finish within 100 ms and did not stop when interrupted/);
    // Waiting calls are held until the re-created instance is there, then run on it.
    expect(await victimA.call('get', [])).toBe(0);
    expect(await offenderCounter.call('get', [])).toBe(7);
    expect(await victimB.call('get', [])).toBe(4);

    expect(events.get('victimA')).toEqual([
      { state: 'fresh', reason: 'another node on its worker would not stop at its time limit, so the worker was stopped' },
    ]);
    expect(events.get('offenderCounter')).toEqual([
      {
        state: 'snapshot',
        reason: "this session's node Stuck got its worker stopped, so the session's nodes now run on a separate quarantine worker",
      },
    ]);
    expect(events.get('victimB')).toEqual([]);
    expect([victimA.placement, victimB.placement, offenderCounter.placement]).toEqual(['shared', 'shared', 'quarantine']);
    expect(pool.isQuarantined('offender')).toBe(true);
    expect(pool.isQuarantined('victim')).toBe(false);
    expect(pool.stats()).toMatchObject({
      workers: 2,
      workerRestarts: 1,
      sandboxesRestored: 2,
      quarantine: { running: true, sandboxes: 1, sessions: 1 },
    });

    // The culprit is refused; the offender's next sandbox goes to quarantine too.
    await remoteRejection(stuck.call('ping', []), ErrorCode.SandboxDiscarded);
    const later = await counter('offender', 'later');
    expect(later.placement).toBe('quarantine');

    // Once the session is gone, so is its quarantine.
    for (const sandbox of [stuck, offenderCounter, later]) await sandbox.dispose();
    pool.releaseTenant('offender');
    expect(pool.isQuarantined('offender')).toBe(false);
    expect(pool.stats().quarantine).toMatchObject({ sandboxes: 0, sessions: 0 });
  });
});
