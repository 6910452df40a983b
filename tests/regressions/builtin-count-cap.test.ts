import { describe, expect, it } from 'vitest';
import { connect, type RemoteNode } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';

// Issue 15, item 5: one session could create 1,500 built-in nodes (each a live instance in the shared
// built-in worker); nothing capped them. The default cap is 64 per session.
describe('regression: built-in nodes per session are capped', () => {
  const edge = useEdge();

  it('accepts 64 of 1,500 built-in nodes, refuses the rest with TOO_MANY_BUILTINS, and frees a slot on dispose', async () => {
    const greedy = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const other = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const attempts = await Promise.allSettled(Array.from({ length: 1500 }, () => greedy.node('PassThrough')));
      const created = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
      const refused = attempts.flatMap((attempt) => (attempt.status === 'rejected' ? [attempt.reason as { code?: string; message?: string }] : []));
      expect(created).toHaveLength(64);
      expect(refused).toHaveLength(1436);
      expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['TOO_MANY_BUILTINS']));
      expect(refused[0]!.message).toContain(
        "this session already holds 64 built-in nodes (the edge's maxBuiltinsPerSession); dispose one before creating another",
      );

      // The nodes it got all work, and disposing one makes room for one more.
      expect([...(await created[63]!.process('still here'))]).toEqual(['still here']);
      await created[0]!.dispose();
      const replacement: RemoteNode = await greedy.node('Calculator');
      expect([...(await replacement.process({ op: 'add', a: 1, b: 2 }))]).toMatchObject([{ result: 3 }]);
      const over = (await greedy.node('PassThrough').catch((e: unknown) => e)) as { code?: string };
      expect(over.code).toBe('TOO_MANY_BUILTINS');

      // The cap is per session: another client is unaffected.
      const theirs = await other.node('PassThrough');
      expect([...(await theirs.process(7))]).toEqual([7]);
    } finally {
      greedy.close();
      other.close();
    }
  });

  describe('with --max-builtins-per-session 2', () => {
    const small = useEdge(['--max-builtins-per-session', '2']);

    it('applies the configured cap', async () => {
      const session = await connect(small.url, { transport: 'websocket', reconnect: false });
      try {
        await session.node('PassThrough');
        await session.node('PassThrough');
        const error = (await session.node('PassThrough').catch((e: unknown) => e)) as { code?: string; message?: string };
        expect(error.code).toBe('TOO_MANY_BUILTINS');
        expect(error.message).toContain('this session already holds 2 built-in nodes');
      } finally {
        session.close();
      }
    });
  });
});
