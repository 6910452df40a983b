import { describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';

describe('built-in nodes in the edge worker thread', () => {
  const edge = useEdge();

  it("keeps the state of each session's node apart, though both sessions call theirs n1", async () => {
    const a = await connect(edge.url, { transport: 'websocket' });
    const b = await connect(edge.url, { transport: 'websocket' });
    try {
      const bufferA = await a.node('Buffer', { size: 2 });
      const bufferB = await b.node('Buffer', { size: 2 });
      expect([bufferA.nodeId, bufferB.nodeId]).toEqual(['n1', 'n1']);
      expect([...(await bufferA.process('a1'))]).toEqual([]);
      expect([...(await bufferB.process('b1'))]).toEqual([]);
      expect([...(await bufferA.process('a2'))]).toEqual([['a1', 'a2']]);
      expect([...(await bufferB.process('b2'))]).toEqual([['b1', 'b2']]);
      await bufferA.dispose();
      // Disposing one session's node leaves the other's untouched.
      expect([...(await bufferB.process('b3'))]).toEqual([]);
      expect([...(await bufferB.flush())]).toEqual([['b3']]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('keeps typed errors from the worker: codes, messages and the node name', async () => {
    const session = await connect(edge.url, { transport: 'websocket' });
    try {
      const calculator = await session.node('Calculator');
      const error = (await calculator.process({ op: 'divide', a: 1, b: 0 }).catch((e: unknown) => e)) as {
        code?: string;
        nodeName?: string;
        message?: string;
      };
      expect(error.code).toBe('DIVISION_BY_ZERO');
      expect(error.nodeName).toBe('Calculator');
      expect(error.message).toMatch(/zero/);
      const [sum] = await calculator.process({ op: 'add', a: 2, b: 3 });
      expect(sum).toMatchObject({ result: 5 });
    } finally {
      session.close();
    }
  });
});
