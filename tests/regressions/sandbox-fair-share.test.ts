/**
 * Issue 15, item 5: sandboxes are an edge-wide pool (maxSandboxes) and a few sessions could take all of it
 * (8 sessions x 16 held all 128, TOO_MANY_SANDBOXES for everyone else). Now, past sandboxFairSharePercent of the
 * pool in use, a session may only hold fewer than half of the sandboxes still free, so greedy sessions leave
 * room for newcomers, and the refusal says why and what to do.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';

/** Deploys until refused (at most `max` tries); returns what it got and the refusal. */
async function grab(
  session: RemoteSession,
  max: number,
): Promise<{ nodes: RemoteNode[]; refusal: { code?: string; message: string; retryable?: boolean } | undefined }> {
  const pkg = await packCounter();
  const nodes: RemoteNode[] = [];
  for (let i = 0; i < max; i++) {
    try {
      nodes.push(await session.deploy(pkg));
    } catch (error) {
      return { nodes, refusal: error as { code?: string; message: string; retryable?: boolean } };
    }
  }
  return { nodes, refusal: undefined };
}

describe('greedy sessions leave edge-wide sandboxes for newcomers', () => {
  // The per-session cap is as large as the pool: only the fair-share rule (default 50%) stands in the way.
  const edge = useEdge(['--max-sandboxes', '8', '--max-sandboxes-per-session', '8', '--sandbox-workers', '1']);
  const sessions: RemoteSession[] = [];
  afterAll(() => {
    for (const session of sessions) session.close();
  });

  const open = async (): Promise<RemoteSession> => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    sessions.push(session);
    return session;
  };

  it('stops a greedy session at its share, with a message saying why, and admits a newcomer', async () => {
    const first = await grab(await open(), 8);
    // Free use up to 4 of 8; then a session must hold fewer than half of those still free (4 -> 2 each).
    expect(first.nodes.length).toBe(4);
    expect(first.refusal?.code).toBe('TOO_MANY_SANDBOXES');
    expect(first.refusal?.message).toContain('this edge has only 4 of its 8 sandboxes free and this session already holds 4');
    expect(first.refusal?.message).toContain("Dispose one of this session's nodes, or try again later");
    expect(first.refusal?.retryable).toBe(true);

    const second = await grab(await open(), 8);
    expect(second.nodes.length).toBe(2);
    expect(second.refusal?.code).toBe('TOO_MANY_SANDBOXES');

    // Two greedy sessions took what they could; a newcomer still gets a working sandbox.
    const newcomer = await grab(await open(), 1);
    expect(newcomer.refusal).toBeUndefined();
    expect(await newcomer.nodes[0]!.call('add', 2)).toBe(2);

    // Disposing gives the greedy session room again: holding 1 of 4 in use, with 4 free.
    for (const node of first.nodes.slice(0, 3)) await node.dispose();
    const again = await grab(sessions[0]!, 1);
    expect(again.refusal).toBeUndefined();
  });
});
