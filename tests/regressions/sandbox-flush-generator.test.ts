import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';

// A sandboxed node's `flush` was called as a plain method and its result wrapped as one output, so a flush that
// is a generator (several held items at the end of a stream, as `process` may yield) reached the client as one
// empty object `{}` (the generator, encoded field by field), and its items were lost.
describe('regression: a sandboxed flush that is a generator', () => {
  const edge = useEdge();

  it('delivers each item it yields, as process does and as a local Pipeline does', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await deploySource(
        session,
        `export class Held {
          constructor() { this.held = []; }
          process(item) { this.held.push(item); }
          *flush() { for (const item of this.held) yield { item, flushed: true }; this.held = []; }
        }`,
      );
      expect([...(await node.process('a'))]).toEqual([]);
      expect([...(await node.process('b'))]).toEqual([]);
      expect([...(await node.flush())]).toEqual([
        { item: 'a', flushed: true },
        { item: 'b', flushed: true },
      ]);
      expect([...(await node.flush())]).toEqual([]);
    } finally {
      session.close();
    }
  });
});
