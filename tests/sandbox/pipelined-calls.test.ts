/**
 * Cheap calls are sent to a sandbox worker ahead of time (several at the worker at once), so the containment of
 * a worker loss must still hold: results posted before the loss are delivered, the call the worker was running
 * is the culprit, and every call sent after it is run again on the re-created instance, none lost or doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { SandboxPool, type RestoredEvent } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { remoteRejection } from '../support/remoteRejection.ts';

const COUNTER = `export class Counter {
  constructor() { this.total = 0; }
  add(n) { this.total += n; return this.total; }
}`;
/** Fast until asked to hang; the fault makes the hang uninterruptible, so only the watchdog can end it. */
const FLAKY = `export class Flaky { step(hang) { if (hang) for (;;) {} return 0; } }`;

describe('calls sent ahead to a worker that is then lost', () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ workers: 1, watchdogGraceMs: 300, allowFaultInjection: true });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('delivers the results posted before the loss, blames the running call, and runs the rest again', async () => {
    const restored: RestoredEvent[] = [];
    const victim = await pool.create({ pkg: singleModule(COUNTER, 'Counter'), tenant: 'victim', onRestored: (e) => restored.push(e) });
    const flaky = await pool.create({
      pkg: singleModule(FLAKY, 'Flaky'),
      tenant: 'offender',
      limits: { callTimeoutMs: 100 },
      faults: { ignoreInterrupts: true },
    });
    // Both methods seen to be cheap: from now on their calls may be sent while others are at the worker.
    for (let i = 0; i < 5; i++) {
      expect(await victim.call('add', [0])).toBe(0);
      expect(await flaky.call('step', [false])).toBe(0);
    }

    const adds = Array.from({ length: 8 }, () => victim.call('add', [1]));
    const hang = flaky.call('step', [true]);
    const more = Array.from({ length: 4 }, () => victim.call('add', [1]));
    const error = await remoteRejection(hang, ErrorCode.SandboxTimeout);
    expect(error.message).toMatch(/^step did not finish within 100 ms/);

    const totals = (await Promise.all([...adds, ...more])) as number[];
    // Each add answered once: counting up from 1 on the first instance for those that ran before the loss,
    // then from 1 again on the re-created one (built fresh: it has no snapshot) for all the others.
    const restart = totals.findIndex((total, i) => i > 0 && total !== totals[i - 1]! + 1);
    const before = restart < 0 ? totals : totals.slice(0, restart);
    const after = restart < 0 ? [] : totals.slice(restart);
    expect(before).toEqual(before.map((_, i) => i + 1));
    expect(after).toEqual(after.map((_, i) => i + 1));
    expect(restored).toEqual([{ state: 'fresh', reason: expect.stringMatching(/would not stop at its time limit/) }]);
    expect(await victim.call('add', [0])).toBe(after.length > 0 ? after.length : before.length);
    await remoteRejection(flaky.call('step', [false]), ErrorCode.SandboxDiscarded);
    expect(pool.stats()).toMatchObject({ workerRestarts: 1 });
  });
});
