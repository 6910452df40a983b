import { connect } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { packCounter } from '../support/edgeClients.ts';
import { FAST_RECONNECT, TEST_MS, useEdgeCluster } from '../support/edgeCluster.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { eventually } from '../support/eventually.ts';

/** Outcomes of every frame a client sent: each one resolved or rejected with a code, none left pending. */
interface Tally {
  sent: number;
  counts: number[];
  failures: string[];
}

describe('cluster: an edge killed with -9 mid-stream', () => {
  const edges = useEdgeCluster(3);

  it(
    'its client resumes on another edge with the persistent state restored, and frames flow again',
    async () => {
      const urls = edges.cluster.edges.map((edge) => edge.url);
      const session = edges.keep(await connect(urls, { transport: 'websocket', reconnect: FAST_RECONNECT }));
      const first = session.stats().edgeUrl;
      const victim = edges.cluster.edges.find((edge) => edge.url === first)!;
      const node = await session.deploy(await packCounter(), { persist: true });

      const tally: Tally = { sent: 0, counts: [], failures: [] };
      const send = async (): Promise<void> => {
        tally.sent++;
        try {
          const [out] = [...(await node.process({ tag: 'f' }))] as Array<{ count: number }>;
          tally.counts.push(out!.count);
        } catch (error) {
          tally.failures.push(String((error as { code?: string }).code));
        }
      };
      for (let i = 0; i < 20; i++) await send();
      // Acknowledged by save(): this much state must come back whatever happens next.
      await node.save();
      const saved = Math.max(...tally.counts);
      expect(saved).toBe(20);

      // Streams on while the edge is killed (no chance to snapshot or say goodbye).
      let streaming = true;
      const stream = (async () => {
        for (let i = 0; streaming && i < 2000; i++) {
          await send();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      await eventually(
        () => tally.counts.length,
        (n) => n >= 30,
        'frames flowing before the kill',
      );
      const reconnected = new Promise<{ resumed: boolean }>((resolve) => session.on('reconnected', resolve));
      const killedAt = performance.now();
      victim.process.kill('SIGKILL');
      const okBeforeKill = tally.counts.length;
      const { resumed } = await reconnected;
      const resumedAfterMs = performance.now() - killedAt;
      expect(resumed).toBe(true);
      const after = session.stats().edgeUrl;
      expect(after).not.toBe(first);
      expect(urls).toContain(after);
      // Frames flow again through the other edge.
      await eventually(
        () => tally.counts.length,
        (n) => n >= okBeforeKill + 20,
        'frames flowing after the resume',
      );
      streaming = false;
      await stream;
      console.log(`resumed on another edge ${Math.round(resumedAfterMs)} ms after kill -9`);

      // Every frame sent got exactly one outcome; those lost with the edge were reported, not silently dropped.
      expect(tally.counts.length + tally.failures.length).toBe(tally.sent);
      expect(new Set(tally.failures).size).toBeGreaterThan(0);
      for (const code of tally.failures) expect(['CONNECTION_CLOSED']).toContain(code);
      // The restored counter went on from a snapshot at least as recent as the acknowledged save, and never from
      // further than the last acknowledged frame.
      const resumedAt = tally.counts.findIndex((count, i) => i > 0 && count <= tally.counts[i - 1]!);
      expect(resumedAt).toBeGreaterThan(0);
      const firstAfter = tally.counts[resumedAt]!;
      expect(firstAfter).toBeGreaterThan(saved);
      expect(firstAfter).toBeLessThanOrEqual(tally.counts[resumedAt - 1]! + 1);
      // From there on every frame counted once, in order.
      const tail = tally.counts.slice(resumedAt);
      expect(tail).toEqual(tail.map((_, i) => firstAfter + i));
      expect(await edgeMetric(after, 'remotemedia_cluster_resumes_total')).toBe(1);
    },
    TEST_MS,
  );
});
