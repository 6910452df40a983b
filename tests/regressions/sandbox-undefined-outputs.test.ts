import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';

// A sandboxed node whose generator yielded `undefined` (a filter written as a generator) sent those undefined
// items to the client as outputs, while the same class in a local Pipeline emits nothing for them: the client
// got `[undefined, 0, undefined, 1, undefined]` where a local run gives `[0, 1]`.
describe('regression: undefined yielded by a sandboxed generator', () => {
  const edge = useEdge();

  it('is not an output, from a generator or an async generator', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await deploySource(
        session,
        `export class Sparse {
          *process(n) { for (let i = 0; i < n; i++) { yield undefined; yield i; } yield undefined; }
          async *flush() { yield undefined; yield 'end'; }
        }`,
      );
      expect([...(await node.process(2))]).toEqual([0, 1]);
      expect([...(await node.process(0))]).toEqual([]);
      expect([...(await node.flush())]).toEqual(['end']);
    } finally {
      session.close();
    }
  });
});
