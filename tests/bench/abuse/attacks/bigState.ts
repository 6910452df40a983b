import type { SerializedState } from '@remotemedia/shared';
import type { Attack } from '../Attack.ts';
import { attackerSession } from '../attackerSession.ts';
import { codeOf } from '../codeOf.ts';
import { hostilePackage } from '../hostileNode.ts';

/**
 * superjson output no serializer would write: `n` referential-equality paths into one Set. Each one makes
 * superjson walk the Set to its nth key and rebuild it, so decoding costs O(n^2): ~120 KB at n = 4,000.
 */
function quadraticState(n: number): SerializedState {
  const equalities: Record<string, string[]> = {};
  for (let i = 0; i < n; i++) equalities[`r.${i}`] = [`s.${i}`];
  return {
    json: { r: Array.from({ length: n }, () => ({})), s: Array.from({ length: n }, (_, i) => i) },
    meta: { values: { s: ['set'] }, referentialEqualities: equalities },
  };
}

/** A BigInt of 2 million digits: parsing decimal digits is quadratic too. */
function hugeBigInt(): SerializedState {
  return { json: '7'.repeat(2_000_000), meta: { values: ['bigint'] } };
}

export const bigState: Attack = {
  name: 'big-superjson-state',
  what: 'deploys whose state is crafted superjson: 4,000 referential-equality paths into a Set (~120 KB), or a 2M-digit BigInt',
  sandboxes: 1,
  connections: 1,
  async run({ url, signal, ready, count }) {
    const session = await attackerSession(url);
    const pkg = await hostilePackage();
    const states = [quadraticState(4000), hugeBigInt()];
    ready();
    for (let i = 0; !signal.aborted && !session.closed; i++) {
      const which = i % 2 === 0 ? 'set paths' : 'bigint';
      try {
        const node = await session.deploy(pkg, { state: states[i % 2]! });
        count(`deploy with ${which} accepted`);
        await node.dispose().catch(() => undefined);
      } catch (error) {
        count(`deploy with ${which} ${codeOf(error)}`);
      }
    }
    session.close();
  },
};
