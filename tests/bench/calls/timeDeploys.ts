import { performance } from 'node:perf_hooks';
import { packSources, type NodePackage, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { summarize } from '../stats.ts';
import { CALCULATOR } from './timeMethodCalls.ts';

const ROUNDS = 15;
const MODULES = 50;

/** A one-module package, different every round (a comment), so "cold" really crosses the wire. */
function oneModule(round: number): Promise<NodePackage> {
  const source = `${CALCULATOR}\n// round ${round} ${Date.now()} ${'x'.repeat(4000)}`;
  return packSources({ sources: { 'calc.js': source }, entry: 'calc.js', exportName: 'SimpleCalculator' });
}

/** An entry importing 49 helper modules of ~1 KB each (a small library), different every round. */
function fiftyModules(round: number): Promise<NodePackage> {
  const sources: Record<string, string> = {};
  const helpers = Array.from({ length: MODULES - 1 }, (_, i) => `lib/helper${i}.js`);
  helpers.forEach((path, i) => {
    sources[path] = `// round ${round} ${Date.now()}
export function helper${i}(values) {
  let sum = ${i};
  for (const value of values) sum += value * ${i + 1};
  return { name: 'helper${i}', sum, mean: values.length === 0 ? 0 : sum / values.length };
}
export const table${i} = [${Array.from({ length: 60 }, (_, k) => (k * (i + 3)) % 97).join(', ')}];
`;
  });
  sources['main.js'] = `${helpers.map((path, i) => `import { helper${i} } from './${path}';`).join('\n')}
export class Library {
  run(values) { return [${helpers.map((_, i) => `helper${i}(values).sum`).join(', ')}].reduce((a, b) => a + b, 0); }
}
`;
  return packSources({ sources, entry: 'main.js', exportName: 'Library' });
}

/** Deploys a new package (cold: sent, verified and cached by the edge, then created) and again (cached). */
async function coldAndCached(session: RemoteSession, make: (round: number) => Promise<NodePackage>): Promise<Record<string, number>> {
  const cold: number[] = [];
  const cached: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const pkg = await make(round);
    let t = performance.now();
    const first = await session.deploy(pkg);
    cold.push(performance.now() - t);
    t = performance.now();
    const second = await session.deploy(pkg);
    cached.push(performance.now() - t);
    await Promise.all([first.dispose(), second.dispose()]);
  }
  const c = summarize(cold);
  const h = summarize(cached);
  return { coldP50: c.p50, coldP99: c.p99, cachedP50: h.p50, cachedP99: h.p99 };
}

export async function timeDeploys(session: RemoteSession): Promise<Record<string, Record<string, number>>> {
  return { oneModule: await coldAndCached(session, oneModule), fiftyModules: await coldAndCached(session, fiftyModules) };
}
