/**
 * Sandbox workers keep fresh QuickJS instances ready (WarmInstances) so a create does not wait for a WASM
 * instantiation. An instance is used by one guest only: nothing a guest left behind (globals, prototypes,
 * heap) is seen by the next sandbox created on the same worker, whether the first was disposed, discarded
 * after running out of memory, or is still alive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { remoteRejection } from '../support/remoteRejection.ts';

/** Leaves marks in its instance at load: a global, a patched builtin prototype, and a big string on its heap. */
const LITTERER = `globalThis.left = 'behind';
Array.prototype.includes = () => 'patched';
export class Litterer {
  constructor() { this.keep = []; }
  hoard() { for (;;) this.keep.push('x'.repeat(1 << 20)); }
  ping() { return 'pong'; }
}`;
const INSPECTOR = `export class Inspector {
  look() { return { left: typeof globalThis.left, includes: [1].includes(1) }; }
}`;

describe('warm QuickJS instances are fresh for every sandbox', () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ workers: 1 });
  });
  afterAll(async () => {
    await pool.close();
  });

  const inspect = async (limits?: { memoryBytes: number }): Promise<unknown> => {
    const inspector = await pool.create({ pkg: singleModule(INSPECTOR, 'Inspector'), ...(limits ? { limits } : {}) });
    try {
      return await inspector.call('look', []);
    } finally {
      await inspector.dispose();
    }
  };
  const clean = { left: 'undefined', includes: true };

  it('shows a new sandbox nothing of one alive, disposed or discarded before it on the same worker', async () => {
    const alive = await pool.create({ pkg: singleModule(LITTERER, 'Litterer') });
    expect(await alive.call('ping', [])).toBe('pong');
    expect(await inspect()).toEqual(clean);

    const disposed = await pool.create({ pkg: singleModule(LITTERER, 'Litterer') });
    await disposed.dispose();
    expect(await inspect()).toEqual(clean);

    const discarded = await pool.create({ pkg: singleModule(LITTERER, 'Litterer'), limits: { memoryBytes: 16 * 1024 * 1024 } });
    await remoteRejection(discarded.call('hoard', []), ErrorCode.SandboxOutOfMemory);
    // Same memory size as the one that ran out: its instance is not the one handed out again.
    expect(await inspect({ memoryBytes: 16 * 1024 * 1024 })).toEqual(clean);
    expect(await inspect()).toEqual(clean);
    expect(await alive.call('ping', [])).toBe('pong');
    await alive.dispose();
  });

  it('creates sandboxes of the default and of other memory sizes, one after another and at once', async () => {
    const sizes = [undefined, 24, 40, undefined, 24, 40].map((mb) => (mb === undefined ? undefined : { memoryBytes: mb * 1024 * 1024 }));
    for (const limits of sizes) expect(await inspect(limits)).toEqual(clean);
    expect(await Promise.all(sizes.map((limits) => inspect(limits)))).toEqual(sizes.map(() => clean));
  });
});
