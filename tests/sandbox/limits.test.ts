import { remoteRejection } from '../support/remoteRejection.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import { SandboxPool, type NodeSandbox } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { eventually } from '../support/eventually.ts';

const HOSTILE = `export default class Hostile {
  ping() { return 'pong'; }
  loop() { for (;;) {} }
  asyncLoop() { return Promise.resolve().then(() => { for (;;) {} }); }
  jobChain() { const again = () => Promise.resolve().then(again); again(); return 'scheduled'; }
  typedBomb() { const keep = []; for (;;) keep.push(new Uint8Array(1 << 20)); }
  arrayBomb() { const keep = []; for (let i = 0; ; i++) keep.push([i, i + 1, i + 2, { i }]); }
  stringBomb() { const keep = []; for (let n = 1024; ; n *= 2) keep.push('y'.repeat(n)); }
  recurse(n) { return this.recurse(n + 1) + 1; }
  quadratic() { return 'a'.repeat(400000).indexOf('a'.repeat(200000) + 'b'); }
}`;

describe('sandbox limits', () => {
  let pool: SandboxPool;
  const create = (callTimeoutMs = 300): Promise<NodeSandbox> =>
    pool.create({ pkg: singleModule(HOSTILE, 'default', 'hostile.js'), nodeName: 'Hostile', limits: { callTimeoutMs } });

  beforeAll(() => {
    pool = new SandboxPool({ workers: 2, watchdogGraceMs: 700, allowFaultInjection: true });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('stops an infinite loop at the deadline, then refuses the instance with SandboxDiscarded', async () => {
    const sandbox = await create(300);
    // The deadline, not some other limit, stopped it: the message names the configured 300 ms.
    const error = await remoteRejection(sandbox.call('loop', []), ErrorCode.SandboxTimeout);
    expect(error.message).toBe('loop did not finish within 300 ms (in Hostile.loop)');
    expect(error.remoteStack).toContain('hostile.js:3');
    const next = await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
    expect(next.message).toContain('discarded because a call exceeded its time limit');
    await remoteRejection(sandbox.snapshot(), ErrorCode.SandboxDiscarded);
  });

  it('stops loops inside promise jobs, including endless job chains', async () => {
    const a = await create(300);
    await remoteRejection(a.call('asyncLoop', []), ErrorCode.SandboxTimeout);
    const b = await create(300);
    // Each link of this chain keeps the previous one alive, so it grows as well as spins: on a slow or
    // busy machine the memory limit can end it before the deadline. Either limit stopping it is correct.
    const error = await b.call('jobChain', []).then(
      () => undefined,
      (e: unknown) => e as RemoteError,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect([ErrorCode.SandboxTimeout, ErrorCode.SandboxOutOfMemory]).toContain(error!.code);
    expect(error!.remoteMessage).toMatch(/^jobChain (did not finish within 300 ms|ran out of memory)/);
  });

  it.each(['typedBomb', 'arrayBomb', 'stringBomb'])('ends a %s with SandboxOutOfMemory and the worker survives', async (method) => {
    const sandbox = await create(5000);
    const error = await remoteRejection(sandbox.call(method, []), ErrorCode.SandboxOutOfMemory);
    expect(error.remoteName).toBe('InternalError');
    expect(error.remoteMessage).toBe(`${method} ran out of memory (sandbox limit ${32 * 1024 * 1024} bytes)`);
    expect((await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded)).message).toContain('ran out of memory');
    const other = await create();
    expect(await other.call('ping', [])).toBe('pong');
  });

  it('ends deep recursion with SandboxStackOverflow', async () => {
    const sandbox = await create(5000);
    const error = await remoteRejection(sandbox.call('recurse', [0]), ErrorCode.SandboxStackOverflow);
    expect(error.remoteMessage).toContain('overflowed the stack');
    expect(error.remoteStack).toContain('hostile.js:9');
    await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
    expect(await (await create()).call('ping', [])).toBe('pong');
  });

  it('keeps other sandboxes and main-thread timers running while one guest loops', async () => {
    // Placement goes by recent load first, then by count: once earlier tests' hostile calls are forgotten, create
    // until the two are on different workers.
    await eventually(
      () => pool.stats().perWorker,
      (workers) => workers.every((w) => w.busyShare < 0.5),
      'workers idle',
    );
    const placedOn = async (): Promise<{ sandbox: NodeSandbox; worker: number }> => {
      const before = pool.stats().sandboxesPerWorker;
      const sandbox = await create(1500);
      return { sandbox, worker: pool.stats().sandboxesPerWorker.findIndex((n, i) => n > (before[i] ?? 0)) };
    };
    const first = await placedOn();
    let second = await placedOn();
    for (let i = 0; i < 4 && second.worker === first.worker; i++) second = await placedOn();
    expect(second.worker).not.toBe(first.worker);
    const hung = first.sandbox;
    const busy = second.sandbox;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const hanging = remoteRejection(hung.call('loop', []), ErrorCode.SandboxTimeout);
    const pongs: unknown[] = [];
    const started = Date.now();
    while (Date.now() - started < 1000) pongs.push(await busy.call('ping', []));
    clearInterval(timer);
    expect(pongs.length).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThan(40);
    await hanging;
  });

  it('terminates and replaces a worker stuck where interrupts are not consulted', async () => {
    const restarts = pool.stats().workerRestarts;
    const stuck = await pool.create({
      pkg: singleModule(HOSTILE),
      nodeName: 'Stuck',
      limits: { callTimeoutMs: 200 },
      faults: { ignoreInterrupts: true },
    });
    // Stopped by the host watchdog (deadline 200 + call overhead 500 + grace 700), not by QuickJS: reported as
    // the time limit it broke.
    const error = await remoteRejection(stuck.call('loop', []), ErrorCode.SandboxTimeout);
    expect(error.message).toMatch(/^loop did not finish within 200 ms and did not stop when interrupted .* its worker was stopped after \d+ ms/);
    const next = await remoteRejection(stuck.call('ping', []), ErrorCode.SandboxDiscarded);
    expect(next.message).toContain('a call exceeded its time limit');
    expect(pool.stats().workerRestarts).toBe(restarts + 1);
    expect(pool.stats().workers).toBe(2);
    expect(await (await create()).call('ping', [])).toBe('pong');
  });

  it('catches a real uninterruptible builtin (quadratic String.indexOf) with the watchdog', async () => {
    const sandbox = await create(200);
    const error = await remoteRejection(sandbox.call('quadratic', []), ErrorCode.SandboxTimeout);
    expect(error.method).toBe('quadratic');
    expect(await (await create()).call('ping', [])).toBe('pong');
  });
});

describe('SandboxPool.close', () => {
  it('rejects in-flight calls with SessionClosed, refuses new work and is idempotent', async () => {
    const pool = new SandboxPool({ workers: 1 });
    const sandbox = await pool.create({ pkg: singleModule(HOSTILE), limits: { callTimeoutMs: 2000 } });
    const inflight = sandbox.call('loop', []).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([pool.close(), pool.close()]);
    const error = (await inflight) as RemoteMediaError;
    expect(error).toBeInstanceOf(RemoteMediaError);
    expect(error.code).toBe(ErrorCode.SessionClosed);
    expect(((await sandbox.call('ping', []).catch((e: unknown) => e)) as RemoteMediaError).code).toBe(ErrorCode.SessionClosed);
    expect(((await pool.create({ pkg: singleModule(HOSTILE) }).catch((e: unknown) => e)) as RemoteMediaError).code).toBe(ErrorCode.SessionClosed);
    expect(pool.stats()).toMatchObject({ workers: 0, sandboxes: 0 });
  });
});
