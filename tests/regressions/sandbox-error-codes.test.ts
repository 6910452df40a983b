import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { classifyFailure, DEFAULT_SANDBOX_LIMITS } from '@remotemedia/edge-server/sandbox';
import { remoteRejection } from '../support/remoteRejection.ts';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Issue 15, "Smaller": limits were reported as other limits or as USER_ERROR. A timeout while describing the
 * thrown error came back as out of memory; QuickJS's parser and JSON.parse stack overflows as USER_ERROR with
 * the sandbox kept; a promise that can never settle (also what a promise-job flood that dies of an unhandled
 * out-of-memory leaves behind) as USER_ERROR; a host RangeError of any kind as a stack overflow.
 */
const NODE = `let n = 0;
export default class Limits {
  ping() { return 'pong'; }
  slowMessage() { throw { get message() { for (;;) {} } }; }
  slowStack() { const e = new Error('x'); Object.defineProperty(e, 'stack', { get() { for (;;) {} } }); throw e; }
  deepJson() { return JSON.parse('['.repeat(100000) + ']'.repeat(100000)); }
  deepCode() { return new Function('return ' + '('.repeat(100000) + '1' + ')'.repeat(100000))(); }
  never() { return new Promise(() => {}); }
  flood() {
    // Each link adopts the next: the chain grows until QuickJS runs out of memory inside a job, which only
    // rejects a promise nobody handles, and the promise returned here is left pending forever.
    return new Promise((resolve) => { const f = () => { n++; return Promise.resolve().then(f); }; f().then(resolve); });
  }
  userSyntax() { throw new SyntaxError('not a limit'); }
}`;

describe('each limit is reported as itself', () => {
  const pool = usePool({ workers: 1 });
  const create = () => pool().create({ pkg: singleModule(NODE), nodeName: 'Limits' });

  it.each(['slowMessage', 'slowStack'])('reports error getters that run out of time (%s) as SANDBOX_TIMEOUT', async (method) => {
    const sandbox = await create();
    const error = await remoteRejection(sandbox.call(method, []), ErrorCode.SandboxTimeout);
    expect(error.remoteMessage).toBe(`${method} threw an error whose name, message or stack could not be read within 100 ms`);
    await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
  });

  it.each([
    ['deepJson', 'JSON.parse'],
    ['deepCode', 'the parser'],
  ])('reports a stack overflow in %s (%s) as SANDBOX_STACK_OVERFLOW and retires the sandbox', async (method) => {
    const sandbox = await create();
    const error = await remoteRejection(sandbox.call(method, []), ErrorCode.SandboxStackOverflow);
    expect(error.remoteMessage).toBe(`${method} overflowed the stack (sandbox limit 524288 bytes) while parsing deeply nested code or JSON`);
    const next = await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
    expect(next.message).toContain('its stack overflowed');
  });

  it('reports a promise that can never settle as SANDBOX_TIMEOUT and retires the sandbox', async () => {
    const sandbox = await create();
    const error = await remoteRejection(sandbox.call('never', []), ErrorCode.SandboxTimeout);
    expect(error.remoteMessage).toContain('never returned a promise that never settles: once its promise jobs had run');
    await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
  });

  it('reports a promise-job flood as the limit it hit, never as USER_ERROR', async () => {
    const sandbox = await create();
    const error = await remoteRejection(sandbox.call('flood', []));
    // Which limit ends it first depends on how fast the machine runs the chain: its memory running out (which
    // leaves the returned promise pending) or the deadline. Both are limits, and both retire the sandbox.
    expect([ErrorCode.SandboxTimeout, ErrorCode.SandboxOutOfMemory]).toContain(error.code);
    expect(error.remoteMessage).toMatch(/^flood (returned a promise that never settles|did not finish within 1000 ms|ran out of memory)/);
    await remoteRejection(sandbox.call('ping', []), ErrorCode.SandboxDiscarded);
  });

  it('keeps a SyntaxError the user threw as USER_ERROR, with the instance usable', async () => {
    const sandbox = await create();
    const error = await remoteRejection(sandbox.call('userSyntax', []), ErrorCode.UserError);
    expect([error.remoteName, error.remoteMessage]).toEqual(['SyntaxError', 'not a limit']);
    expect(await sandbox.call('ping', [])).toBe('pong');
  });
});

describe('host errors escaping the engine', () => {
  const context = { nodeName: 'Node', method: 'run', limits: DEFAULT_SANDBOX_LIMITS };

  it('reports a host RangeError that is not a stack overflow as SANDBOX_CRASHED, naming it', () => {
    const classified = classifyFailure({ kind: 'escaped', error: new RangeError('Array buffer allocation failed') }, context);
    expect(classified.payload.code).toBe(ErrorCode.SandboxCrashed);
    expect(classified.payload.message).toBe('the sandbox engine failed during run (RangeError: Array buffer allocation failed)');
    expect([classified.fatal, classified.engineBroken]).toEqual([true, true]);
  });

  it('reports the host stack running out as SANDBOX_STACK_OVERFLOW', () => {
    const classified = classifyFailure({ kind: 'escaped', error: new RangeError('Maximum call stack size exceeded') }, context);
    expect(classified.payload.code).toBe(ErrorCode.SandboxStackOverflow);
    expect(classified.payload.message).toBe("run overflowed the worker's native stack");
  });

  it('keeps host paths out of the message', () => {
    const classified = classifyFailure({ kind: 'escaped', error: new Error('Aborted(at /home/edge/app/node_modules/x.js:1)') }, context);
    expect(classified.payload.message).not.toContain('/home');
    expect(classified.payload.message).toContain('<path>');
  });
});
