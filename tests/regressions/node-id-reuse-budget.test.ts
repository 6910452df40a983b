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

  it('built-in nodes: the reused id gets INVALID_INPUT and the session can still fill its budget', async () => {
    const { client, ask } = await session();
    try {
      const create = (nodeId: string): Promise<unknown> => ask({ type: 'create', nodeId, name: 'PassThrough', config: {} });
      expect(await create('b1')).toMatchObject({ type: 'reply' });
      for (let i = 0; i < 3; i++) {
        expect(await create('b1')).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT', message: 'node id "b1" is already in use in this session' } });
      }
      expect(await create('b2')).toMatchObject({ type: 'reply', value: { nodeName: 'PassThrough' } });
      expect(await create('b3')).toMatchObject({ type: 'error', error: { code: 'TOO_MANY_BUILTINS' } });
      client.send({ type: 'frame', nodeId: 'b2', seq: 1, item: 'still here' });
      expect(await client.next('output')).toMatchObject({ nodeId: 'b2', seq: 1, items: ['still here'] });
    } finally {
      client.raw.socket.destroy();
    }
  });

  it('sandboxed nodes: the reused id gets INVALID_INPUT and the session can still fill its budget', async () => {
    const { client, ask } = await session();
    try {
      const pkg = await packSources({ sources: { 'echo.js': 'export class Echo { process(x) { return x; } }\n' }, entry: 'echo.js', exportName: 'Echo' });
      expect(await ask({ type: 'deploy', nodeId: 's1', packageId: pkg.id, pkg })).toMatchObject({ type: 'reply' });
      const deploy = (nodeId: string): Promise<unknown> => ask({ type: 'deploy', nodeId, packageId: pkg.id });
      for (let i = 0; i < 3; i++) {
        expect(await deploy('s1')).toMatchObject({ type: 'error', error: { code: 'INVALID_INPUT', message: 'node id "s1" is already in use in this session' } });
      }
      expect(await deploy('s2')).toMatchObject({ type: 'reply', value: { nodeName: 'Echo' } });
      expect(await deploy('s3')).toMatchObject({ type: 'error', error: { code: 'TOO_MANY_SANDBOXES' } });
      client.send({ type: 'frame', nodeId: 's2', seq: 1, item: 'still here' });
      expect(await client.next('output')).toMatchObject({ nodeId: 's2', seq: 1, items: ['still here'] });
    } finally {
      client.raw.socket.destroy();
    }
  });
});
