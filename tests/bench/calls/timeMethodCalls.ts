import { performance } from 'node:perf_hooks';
import { packSources, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { round, summarize } from '../stats.ts';

export const CALCULATOR = `export class SimpleCalculator { constructor() { this.total = 0; } add(a, b) { this.total += a + b; return a + b; } }`;

/**
 * Empty-ish method calls on one sandboxed node: `callers` loops each awaiting its own calls (1 = sequential),
 * each call's round trip a sample. Calls/s is over the whole run.
 */
export async function timeMethodCalls(session: RemoteSession, calls: number, callers = 1): Promise<Record<string, number>> {
  const pkg = await packSources({ sources: { 'calc.js': CALCULATOR }, entry: 'calc.js', exportName: 'SimpleCalculator' });
  const node = await session.deploy(pkg);
  for (let i = 0; i < 200; i++) await node.call('add', i, 1);
  const samples: number[] = [];
  const perCaller = Math.ceil(calls / callers);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      for (let i = 0; i < perCaller; i++) {
        const t = performance.now();
        await node.call('add', i, 1);
        samples.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await node.dispose();
  return { ...summarize(samples), callsPerSecond: round(samples.length / elapsed, 0) };
}
