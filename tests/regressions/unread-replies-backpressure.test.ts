import { listNodes } from '@remotemedia/shared';
import { describe, expect, it } from 'vitest';
import { startStreaming } from '../support/edgeClients.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';

const REQUESTS = 3000;
const SEND_QUEUE_BYTES = 2 * 1024 * 1024;

/** Polls `until` every 100 ms, at most `ms` (the bug was that the edge never held a request back). */
async function waitFor(what: string, until: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await until()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/**
 * Issue 15 (send-queue-non-reader): a session that asked for the node catalogue thousands of times a second
 * without reading its socket made the edge's main thread build, encode and queue every 8 KB reply (victim p99
 * 4 -> 873 ms) until the send-queue cap closed it. Now the catalogue is encoded once, and requests that arrive
 * while more than half the send-queue cap of earlier output is unread are refused unprocessed with
 * RATE_LIMITED: the client is answered for every request, the edge stops working for it, and it stays
 * connected (it does read, late). Before the fix all 3000 were built, the queue passed its cap, and the
 * connection was closed with SLOW_CONSUMER. Another client streams through a sandbox the whole time.
 */
describe('regression: requests whose replies are not read are held back, not processed', () => {
  const edge = useEdge([
    '--sandbox-workers',
    '1',
    '--max-message-bytes',
    String(256 * 1024),
    '--max-send-queue-bytes',
    String(SEND_QUEUE_BYTES),
    // Neither limit is what is tested here: every refusal is answered, none is over the message rate.
    '--messages-per-second',
    '1000000',
    '--error-replies-per-second',
    '1000000',
  ]);

  it('answers every list-nodes of a client that stopped reading, refusing those past the unread-bytes mark', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    try {
      const client = await RawProtocolClient.open(edge.url);
      client.send({ type: 'hello', sdkVersion: 'not-reading' });
      await client.next('welcome');
      client.raw.socket.pause();
      for (let id = 1; id <= REQUESTS; id++) client.send({ type: 'list-nodes', id });
      await waitFor('a request held back', async () => (await edgeMetric(edge.url, 'remotemedia_requests_held_back_total')) > 0, 20_000);
      client.raw.socket.resume();
      await waitFor(
        `an answer to each of ${REQUESTS} requests`,
        () => client.count('reply') + client.count('error:RATE_LIMITED') >= REQUESTS,
        30_000,
      );
      const messages = client.take();
      const replies = messages.filter((m) => m.type === 'reply');
      const refused = messages.filter((m) => m.type === 'error' && m.error.code === 'RATE_LIMITED');
      // Exactly one answer per request, and the connection is still open.
      expect(new Set(messages.filter((m) => 'id' in m).map((m) => (m as { id: number }).id)).size).toBe(REQUESTS);
      expect(replies.length + refused.length).toBe(REQUESTS);
      expect(await Promise.race([client.raw.closeFrame, new Promise((resolve) => setTimeout(() => resolve('open'), 200))])).toBe('open');
      // The edge stopped building replies for it: part of the requests were refused without work.
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBe(await edgeMetric(edge.url, 'remotemedia_requests_held_back_total'));
      expect(refused[0]).toMatchObject({
        error: { retryable: true, message: expect.stringMatching(/still waiting to be read \(over 1048576\); "list-nodes" was not processed/) },
      });
      // The reused encoding is the catalogue, for every reply.
      const catalogue = listNodes();
      expect((replies[0] as { value: unknown }).value).toEqual(catalogue);
      expect((replies.at(-1) as { value: unknown }).value).toEqual(catalogue);
      expect(await edgeMetric(edge.url, 'remotemedia_connections_cut_off_total{reason="slow_consumer"}')).toBe(0);
    } finally {
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  }, 60_000);
});
