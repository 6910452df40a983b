import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess, useEdge } from '../support/edgeProcess.ts';
import { packCounter } from '../support/edgeClients.ts';
import { eventually } from '../support/eventually.ts';

interface Status {
  sessions: unknown[];
  sandboxes: unknown[];
  pool: { sandboxes: number };
}

async function status(edge: EdgeProcess): Promise<Status> {
  return (await fetch(`${edge.url}/status`)).json() as Promise<Status>;
}

function openFiles(edge: EdgeProcess): number {
  return readdirSync(`/proc/${edge.process.pid}/fd`).length;
}

describe('session lifecycle: a closed session leaves nothing behind', () => {
  let edge: EdgeProcess;

  beforeAll(async () => {
    // The default grace period: closing must free sessions at once, not after it.
    edge = await startEdge(['--max-sessions', '20']);
  });

  afterAll(async () => {
    await edge?.stop();
  });

  it('frees sessions, sandboxes and file descriptors over 100 connect/deploy/close cycles (5x maxSessions)', async () => {
    const pkg = await packCounter();
    const warm = await connect(edge.url, { transport: 'websocket' });
    await (await warm.deploy(pkg)).call('get');
    warm.close();
    await eventually(
      () => status(edge),
      (s) => s.sessions.length === 0,
      'sessions after warm-up',
    );
    const baselineFds = openFiles(edge);

    for (let cycle = 0; cycle < 100; cycle++) {
      const session = await connect(edge.url, { transport: 'websocket' });
      const node = await session.deploy(pkg);
      expect(await node.call('get')).toBe(0);
      session.close();
    }
    const settled = await eventually(
      () => status(edge),
      (s) => s.sessions.length === 0 && s.sandboxes.length === 0 && s.pool.sandboxes === 0,
      'sessions and sandboxes after 100 cycles',
    );
    expect(settled.sessions).toEqual([]);
    // Sockets and timers are released too: the descriptor count is back where it started (a few of slack for
    // sockets still in TIME_WAIT teardown inside the runtime).
    const fds = await eventually(
      () => openFiles(edge),
      (n) => n <= baselineFds + 3,
      'open file descriptors',
    );
    expect(fds).toBeLessThanOrEqual(baselineFds + 3);
  }, 120_000);

  it('frees data-channel sessions too, peer and all', async () => {
    for (let cycle = 0; cycle < 10; cycle++) {
      const session = await connect(edge.url, { transport: 'datachannel' });
      expect(session.transport).toBe('datachannel');
      session.close();
    }
    await eventually(
      () => status(edge),
      (s) => s.sessions.length === 0,
      'data-channel sessions after 10 cycles',
    );
  }, 60_000);
});

describe('the edge-wide sandbox cap (bounds memory whatever the number of sessions)', () => {
  // The hard cap alone: the fair-share rule would already refuse b's second sandbox of three.
  const edge = useEdge(['--max-sandboxes', '3', '--sandbox-fair-share-percent', '100']);

  it('refuses a sandbox past maxSandboxes with a retryable TOO_MANY_SANDBOXES, and accepts one once a place frees', async () => {
    const pkg = await packCounter();
    const a = await connect(edge.url, { transport: 'websocket' });
    const b = await connect(edge.url, { transport: 'websocket' });
    try {
      const first = await a.deploy(pkg);
      await a.deploy(pkg);
      await b.deploy(pkg);
      const refused = (await b.deploy(pkg).catch((e: unknown) => e)) as { code?: string; message?: string; retryable?: boolean };
      expect(refused.code).toBe('TOO_MANY_SANDBOXES');
      expect(refused.message).toContain('maximum of 3 sandboxes');
      expect(refused.retryable).toBe(true);
      await first.dispose();
      const admitted = await b.deploy(pkg);
      expect(await admitted.call('add', 5)).toBe(5);
    } finally {
      a.close();
      b.close();
    }
  });
});
