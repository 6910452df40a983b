import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { RemoteSession } from '@remotemedia/browser-sdk/node';
import { summarize } from '../stats.ts';

const ROUNDS = 15;

type Adder = { add(a: number, b: number): Promise<number>; $dispose(): Promise<void> };

/**
 * `session.remote(NewClass)` and its first call, for a class this process never shipped: located (V8 inspector),
 * packed, sent, verified, created in a sandbox, called. Each round writes and imports a module of its own, as a
 * program that loads a new class would; then `remote()` of the same class again (already packed and deployed).
 */
export async function timeFirstCalls(session: RemoteSession): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'remotemedia-bench-'));
  const first: number[] = [];
  const again: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const file = join(dir, `adder${round}.mjs`);
      await writeFile(file, `export class Adder${round} { add(a, b) { return a + b + ${round}; } }\n`);
      const cls = (await import(pathToFileURL(file).href))[`Adder${round}`] as new () => object;
      let t = performance.now();
      const remote = (await session.remote(cls)) as unknown as Adder;
      await remote.add(1, 2);
      first.push(performance.now() - t);
      t = performance.now();
      const second = (await session.remote(cls)) as unknown as Adder;
      await second.add(1, 2);
      again.push(performance.now() - t);
      await Promise.all([remote.$dispose(), second.$dispose()]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const f = summarize(first);
  const a = summarize(again);
  return { newClassP50: f.p50, newClassP99: f.p99, sameClassAgainP50: a.p50, sameClassAgainP99: a.p99 };
}
