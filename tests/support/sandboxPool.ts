import { afterAll, beforeAll } from 'vitest';
import { SandboxPool, type SandboxPoolOptions } from '@remotemedia/edge-server/sandbox';

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
