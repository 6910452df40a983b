import { describe, expect, it } from 'vitest';
import { Pipeline } from '@remotemedia/shared';
import { connect } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';

// A Pipeline calls `initialize` before the first item and `cleanup` at the end on each node. For a user class
// deployed to the edge, the RemoteNode handle had no `initialize` and its `cleanup` only disposed the instance,
// so the class's own `initialize` and `cleanup` never ran: the same class behaved differently locally (its
// lookup table built in initialize) and on the edge (process saw an empty table; cleanup's output never came).
describe('regression: the lifecycle of a deployed class in a Pipeline', () => {
  const edge = useEdge();

  it("runs the class's own initialize before the first item and its cleanup at the end", async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const lines: string[] = [];
    session.on('console', ({ nodeName, text }) => lines.push(`${nodeName}: ${text}`));
    try {
      const node = await deploySource(
        session,
        `export class Lookup {
          constructor() { this.table = new Map(); }
          initialize() { this.table.set('a', 1).set('b', 2); }
          process(key) { return this.table.get(key) ?? 'missing'; }
          cleanup() { console.log('cleanup after', this.table.size, 'entries'); }
        }`,
      );
      const outputs: unknown[] = [];
      for await (const value of new Pipeline([node]).stream(['a', 'b', 'c'])) outputs.push(value);
      expect(outputs).toEqual([1, 2, 'missing']);
      expect(lines).toEqual(['Lookup: cleanup after 2 entries']);
      expect(node.disposed).toBe(true);
    } finally {
      session.close();
    }
  });
});
