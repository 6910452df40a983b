import { describe, expect, it } from 'vitest';
import { startStreaming } from '../support/edgeClients.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';

/** A message whose only byte is msgpack's reserved 0xc1: unreadable, and answered with MALFORMED_MESSAGE. */
const GARBAGE = Uint8Array.from([0xc1]);

/** The close frame, or a failure naming what was still open after `ms` (the bug was that it never came). */
async function closedWithin(client: RawProtocolClient, ms: number): Promise<{ code: number; reason: string }> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, ms));
  const frame = await Promise.race([client.raw.closeFrame, timeout]);
  if (frame === undefined) throw new Error(`the edge did not close the flooding connection within ${ms} ms`);
  return frame;
}

/**
 * Issue 15, item 6: invalid messages were always answered (a cheap way to make the edge write), invalid
 * messages before hello did not count toward the pre-hello budget, and messages over the rate limit were
 * each answered with RATE_LIMITED. Now each connection has an error-reply budget; past it replies stop, and a
 * client that keeps on is closed with 1008. Another client streams the whole time.
 */
describe('regression: floods of refused messages are no longer answered one for one', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--error-replies-per-second', '50', '--messages-per-second', '200']);

  it('stops answering unreadable messages after the budget and closes a connection that keeps sending them', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    try {
      const flooder = await RawProtocolClient.open(edge.url);
      flooder.send({ type: 'hello', sdkVersion: 'flood' });
      await flooder.next('welcome');
      for (let i = 0; i < 2000; i++) flooder.sendPayload(GARBAGE);
      const frame = await closedWithin(flooder, 10_000);
      expect(frame.code).toBe(1008);
      expect(frame.reason).toMatch(/^RATE_LIMITED: over 50 refused messages a second/);
      const answered = flooder.count('error:MALFORMED_MESSAGE');
      // The bucket's 50 plus what refilled during the flood; before the fix, all 2000 were answered.
      expect(answered).toBeGreaterThanOrEqual(50);
      expect(answered).toBeLessThan(150);
      expect(await edgeMetric(edge.url, 'remotemedia_error_replies_withheld_total')).toBeGreaterThan(0);
      expect(await edgeMetric(edge.url, 'remotemedia_connections_cut_off_total{reason="error_flood"}')).toBeGreaterThanOrEqual(1);
    } finally {
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  });

  it('answers messages over the rate limit within the same budget', async () => {
    const flooder = await RawProtocolClient.open(edge.url);
    flooder.send({ type: 'hello', sdkVersion: 'flood' });
    await flooder.next('welcome');
    for (let id = 1; id <= 3000; id++) flooder.send({ type: 'ping', id, t: 0 });
    const frame = await closedWithin(flooder, 10_000);
    expect(frame.code).toBe(1008);
    const replies = flooder.count('pong') + flooder.count('error:RATE_LIMITED');
    // 200 pings a second are served; of the rest, at most the error budget (plus refill) is answered.
    expect(flooder.count('error:RATE_LIMITED')).toBeGreaterThanOrEqual(50);
    expect(replies).toBeLessThan(500);
  });

  it('counts unreadable messages before hello toward the pre-hello budget', async () => {
    const early = await RawProtocolClient.open(edge.url);
    for (let i = 0; i < 200; i++) early.sendPayload(GARBAGE);
    const frame = await closedWithin(early, 10_000);
    expect(frame).toEqual({ code: 1008, reason: 'more than 16 messages before the session was ready (say hello, then wait for welcome)' });
    expect(early.count('error:MALFORMED_MESSAGE')).toBeLessThanOrEqual(16);
    expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
  });
});
