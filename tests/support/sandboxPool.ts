import { afterAll, beforeAll } from 'vitest';
import { SandboxPool } from '../../packages/edge-server/src/sandbox/index.ts';
import type { SandboxPoolOptions } from '../../packages/edge-server/src/sandbox/SandboxPool.ts';

/** A real SandboxPool for one describe block: created before its tests, closed after them. Call the result to get it. */
export function usePool(options: SandboxPoolOptions = {}): () => SandboxPool {
  let pool: SandboxPool | undefined;
  beforeAll(() => {
    pool = new SandboxPool(options);
  });
  afterAll(async () => {
    await pool?.close();
  });
  return () => {
    if (pool === undefined) throw new Error('the pool is created in beforeAll; use it inside a test or hook');
    return pool;
  };
}
