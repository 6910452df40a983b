import { connect } from '@remotemedia/browser-sdk/node';
import { SETTINGS } from '@remotemedia/edge-server/config';
import { describe, expect, it } from 'vitest';
import { packBusyCounter } from '../support/edgeClients.ts';
import { runEdgeCli, startEdge } from '../support/edgeProcess.ts';

function codeOf(reason: unknown): string | undefined {
  return (reason as { code?: string } | undefined)?.code;
}

describe('remotemedia-edge serve: every setting of the table on the command line', () => {
  it('lists each one in --help with its flag and environment variable', async () => {
    const { code, stdout } = await runEdgeCli(['serve', '--help']);
    expect(code).toBe(0);
    for (const spec of SETTINGS) {
      expect(stdout).toContain(`--${spec.flag} `);
      expect(stdout).toContain(spec.env);
    }
  });

  it('--max-queued-frames: a burst into a busy node keeps that many frames waiting and reports the rest dropped', async () => {
    // No frame deadline: under load the last of five queued frames could wait past it, and this is about the queue.
    const edge = await startEdge(['--sandbox-workers', '1', '--max-queued-frames', '5', '--frame-deadline-ms', '0']);
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await session.deploy(await packBusyCounter(150));
      const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => node.process({ tag: i })));
      const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
      const dropped = outcomes.filter((o) => o.status === 'rejected' && codeOf(o.reason) === 'FRAME_DROPPED').length;
      // Every frame is accounted for; one runs and five wait, where the default (2) would keep only three.
      expect(ok + dropped).toBe(12);
      expect(ok).toBeGreaterThanOrEqual(6);
      expect(session.stats().framesDroppedByEdge).toBe(dropped);
    } finally {
      session.close();
      await edge.stop();
    }
  }, 30_000);

  it('--shutdown-drain-ms 0: SIGTERM closes sessions at once, telling the client its waiting frames were dropped', async () => {
    const edge = await startEdge(['--sandbox-workers', '1', '--shutdown-drain-ms', '0']);
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const node = await session.deploy(await packBusyCounter(600));
    const outcomes = Promise.allSettled(Array.from({ length: 3 }, (_, i) => node.process({ tag: i })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = edge.stop('SIGTERM');
    const settled = await outcomes;
    expect(await exited).toBe(0);
    // With the default drain (5 s) all three would finish (persistence.test.ts); with none, none does.
    expect(settled.filter((o) => o.status === 'fulfilled')).toEqual([]);
    const dropped = settled.filter((o) => o.status === 'rejected' && codeOf(o.reason) === 'FRAME_DROPPED');
    expect(dropped.length).toBeGreaterThanOrEqual(1);
    expect(String((dropped[0] as PromiseRejectedResult).reason)).toContain('edge shutting down');
    session.close();
  }, 30_000);
});
