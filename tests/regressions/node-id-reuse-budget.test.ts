import { describe, expect, it } from 'vitest';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { useEdge } from '../support/edgeProcess.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';

/**
 * Found while splitting the edge's Session (issue 9): a create or deploy under a node id already in use was
 * refused with INVALID_INPUT, but only after it had taken a slot of the session's built-in or sandbox budget,
 * which it never gave back. A client that reused an id was then refused TOO_MANY_BUILTINS or
 * TOO_MANY_SANDBOXES while it held fewer nodes than the cap.
 */
describe('regression: a node id already in use costs no slot of the session budget', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--max-builtins-per-session', '2', '--max-sandboxes-per-session', '2']);

  /** A raw client past its hello; `ask` sends a request and returns the message answering it. */
  async function session(): Promise<{ client: RawProtocolClient; ask(message: Record<string, unknown>): Promise<unknown> }> {
    const client = await RawProtocolClient.open(edge.url);
    client.send({ type: 'hello', sdkVersion: 'raw' });
    await client.next('welcome');
    let id = 0;
    return {
      client,
      ask: async (message) => {
        client.send({ ...message, id: ++id });
        const reply = await client.next();
        expect(reply).toMatchObject({ id });
        return reply;
      },
    };
  }

  const kinds = [
    {
      kind: 'built-in',
      tooMany: 'TOO_MANY_BUILTINS',
      nodeName: 'PassThrough',
      request: async () => (nodeId: string) => ({ type: 'create', nodeId, name: 'PassThrough', config: {} }),
    },
    {
      kind: 'sandboxed',
      tooMany: 'TOO_MANY_SANDBOXES',
      nodeName: 'Echo',
      request: async () => {
        const pkg = await packSources({
          sources: { 'echo.js': 'export class Echo { process(x) { return x; } }\n' },
          entry: 'echo.js',
          exportName: 'Echo',
        });
        return (nodeId: string) => ({ type: 'deploy', nodeId, packageId: pkg.id, pkg });
      },
    },
  ];

  it.each(kinds)(
    '$kind nodes: the reused id gets INVALID_INPUT and the session can still fill its budget',
    async ({ tooMany, nodeName, request }) => {
      const { client, ask } = await session();
      try {
        const install = await request();
        expect(await ask(install('a'))).toMatchObject({ type: 'reply' });
        for (let i = 0; i < 3; i++) {
          expect(await ask(install('a'))).toMatchObject({
            type: 'error',
            error: { code: 'INVALID_INPUT', message: 'node id "a" is already in use in this session' },
          });
        }
        expect(await ask(install('b'))).toMatchObject({ type: 'reply', value: { nodeName } });
        expect(await ask(install('c'))).toMatchObject({ type: 'error', error: { code: tooMany } });
        client.send({ type: 'frame', nodeId: 'b', seq: 1, item: 'still here' });
        expect(await client.next('output')).toMatchObject({ nodeId: 'b', seq: 1, items: ['still here'] });
      } finally {
        client.raw.socket.destroy();
      }
    },
  );
});
