import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packBlob } from '../support/blobNode.ts';
import { startStreaming } from '../support/edgeClients.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { repoRoot, useEdge } from '../support/edgeProcess.ts';
import { FROM_SOURCES } from '../support/fromSources.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';

/**
 * Polls until the edge has counted `count` slow consumers (bounded: the bug was that it never did). Up to 45 s:
 * the stalled data-channel client is its own Node process with werift, slow to start when the suite loads both
 * cores (20 s was missed there).
 */
async function slowConsumersReach(url: string, count: number): Promise<void> {
  const line = 'remotemedia_connections_cut_off_total{reason="slow_consumer"}';
  for (let i = 0; i < 450; i++) {
    if ((await edgeMetric(url, line)) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the edge did not close a client that stopped reading (${line} stayed below ${count})`);
}

async function residentBytes(url: string): Promise<number> {
  return edgeMetric(url, 'remotemedia_process_resident_memory_bytes');
}

/**
 * Issue 15, item 6: send queues had no cap, so a client that never read grew the edge's RSS without bound
 * (118 -> 372 MB in 20 s). Each connection's queue is now capped (maxSendQueueBytes, here 1 MiB); a reader
 * that does not drain is closed with 1008 and SLOW_CONSUMER, on the WebSocket and on the data channel.
 */
describe('regression: a client that does not read is closed, not buffered for', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--max-message-bytes', String(256 * 1024), '--max-send-queue-bytes', String(1024 * 1024)]);

  it('closes a WebSocket reader that stops reading with 1008 SLOW_CONSUMER, within bounded memory', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    try {
      const before = await residentBytes(edge.url);
      const client = await RawProtocolClient.open(edge.url);
      client.send({ type: 'hello', sdkVersion: 'no-reader' });
      await client.next('welcome');
      const pkg = await packBlob();
      client.send({ type: 'deploy', id: 1, nodeId: 'n1', packageId: pkg.id, pkg });
      expect(await client.next('reply')).toMatchObject({ id: 1 });
      client.raw.socket.pause();
      // 400 x 200 KB = 80 MB of replies asked for in a few KB.
      for (let id = 2; id < 402; id++) client.send({ type: 'call', id, nodeId: 'n1', method: 'blob', args: [200_000] });
      await slowConsumersReach(edge.url, 1);
      const after = await residentBytes(edge.url);
      client.raw.socket.resume();
      const frame = await client.raw.closeFrame;
      expect(frame?.code).toBe(1008);
      expect(frame?.reason).toBe(`SLOW_CONSUMER: not reading; over ${1024 * 1024} bytes waiting to be sent`);
      // Far below the 80 MB the client asked for; loose, as other allocations come and go.
      expect(after - before).toBeLessThan(60 * 1024 * 1024);
    } finally {
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  });

  it('closes a data channel whose reader stops reading, and says SLOW_CONSUMER over signaling', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    const already = await edgeMetric(edge.url, 'remotemedia_connections_cut_off_total{reason="slow_consumer"}');
    const client = spawn(process.execPath, [...FROM_SOURCES, 'tests/support/stalledDataChannelClient.ts', edge.url, '400', '200000'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const killer = setTimeout(() => client.kill('SIGKILL'), 80_000);
    try {
      let out = '';
      const lines = new Promise<string[]>((resolve) => {
        client.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        client.once('exit', () => resolve(out.trim().split('\n')));
      });
      await slowConsumersReach(edge.url, already + 1);
      client.stdin!.end('go');
      const [stalled, report] = await lines;
      expect(stalled).toBe('stalled');
      const { errors, transport } = JSON.parse(report ?? '{}') as { errors: string[]; transport: string };
      expect(errors).toContain('SLOW_CONSUMER');
      // The session goes on over its WebSocket.
      expect(transport).toBe('websocket');
    } finally {
      clearTimeout(killer);
      client.kill('SIGKILL');
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  }, 100_000);
});
