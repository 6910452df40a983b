import { connect } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { packCounter } from '../support/edgeClients.ts';
import { clusterStatus, FAST_RECONNECT, TEST_MS, useEdgeCluster } from '../support/edgeCluster.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { runEdgeCli, startEdge } from '../support/edgeProcess.ts';
import { eventually } from '../support/eventually.ts';

describe('cluster: draining an edge moves its sessions live', () => {
  const edges = useEdgeCluster(3);

  it(
    'SIGTERM: a counter incremented continuously by calls and frames keeps every acknowledged increment, and every request has one outcome',
    async () => {
      const urls = edges.cluster.edges.map((edge) => edge.url);
      const session = edges.keep(await connect(urls, { transport: 'websocket', reconnect: FAST_RECONNECT }));
      const drained = edges.cluster.edges.find((edge) => edge.url === session.stats().edgeUrl)!;
      const counter = await session.deploy(await packCounter(), { persist: true });

      // Both a call (add) and a frame (process) increment the count and answer with the new value.
      const acknowledged: number[] = [];
      const failures: string[] = [];
      let sent = 0;
      let running = true;
      const loop = async (step: () => Promise<number>): Promise<void> => {
        for (let i = 0; running && i < 3000; i++) {
          sent++;
          try {
            acknowledged.push(await step());
          } catch (error) {
            failures.push(String((error as { code?: string }).code));
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const loops = [
        loop(() => counter.call<number>('add', 1)),
        loop(async () => ([...(await counter.process({ tag: 'f' }))][0] as { count: number }).count),
      ];
      await eventually(
        () => acknowledged.length,
        (n) => n >= 40,
        'increments before the drain',
      );
      const reconnected = new Promise<{ resumed: boolean }>((resolve) => session.on('reconnected', resolve));
      const exited = new Promise<number | null>((resolve) => drained.process.once('exit', resolve));
      drained.process.kill('SIGTERM');
      const before = acknowledged.length;
      expect((await reconnected).resumed).toBe(true);
      const target = session.stats().edgeUrl;
      expect(target).not.toBe(drained.url);
      expect(await exited).toBe(0);
      await eventually(
        () => acknowledged.length,
        (n) => n >= before + 40,
        'increments after the move',
      );
      running = false;
      await Promise.all(loops);

      // No acknowledged increment lost, none counted twice: the values acknowledged are exactly 1..N.
      const sorted = [...acknowledged].sort((a, b) => a - b);
      expect(sorted).toEqual(sorted.map((_, i) => i + 1));
      expect(await counter.call<number>('get')).toBe(sorted.length);
      // Every request got exactly one outcome; those refused during the move say why.
      expect(acknowledged.length + failures.length).toBe(sent);
      for (const code of failures) expect(['SESSION_CLOSED', 'CONNECTION_CLOSED']).toContain(code);
      expect(await edgeMetric(target, 'remotemedia_cluster_resumes_total')).toBe(1);
      // The drained edge left the registry: the others no longer list it.
      const status = await clusterStatus(target);
      expect(status.edges.map((edge) => edge.url)).not.toContain(drained.url);
    },
    TEST_MS,
  );
});

describe('cluster: remotemedia-edge drain', () => {
  const edges = useEdgeCluster(2);

  it(
    'moves the sessions of a running edge, which then stays up, reports not ready and sends new clients elsewhere',
    async () => {
      const [a, b] = edges.cluster.edges.map((edge) => edge.url);
      const session = edges.keep(await connect([a!, b!], { transport: 'websocket', reconnect: FAST_RECONNECT }));
      expect(session.stats().edgeUrl).toBe(a);
      const counter = await session.deploy(await packCounter(), { persist: true });
      expect(await counter.call('add', 5)).toBe(5);
      const reconnected = new Promise<{ resumed: boolean }>((resolve) => session.on('reconnected', resolve));

      const { code, stdout, stderr } = await runEdgeCli(['drain', a!]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toBe('moved 1 session(s) to other edges; 0 failed; 0 had no other edge to go to\n');
      expect((await reconnected).resumed).toBe(true);
      expect(session.stats().edgeUrl).toBe(b);
      expect(await counter.call('add', 1)).toBe(6);

      const ready = await fetch(`${a}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, reason: 'draining: sessions move to other edges' });
      const newcomer = await connect(a!, { transport: 'websocket', reconnect: false });
      expect(newcomer.stats().edgeUrl).toBe(b);
      newcomer.close();
      expect(await edgeMetric(a!, 'remotemedia_cluster_migrations_total{result="ok"}')).toBe(1);
      expect(await edgeMetric(a!, 'remotemedia_cluster_redirects_total{reason="draining"}')).toBeGreaterThanOrEqual(1);
    },
    TEST_MS,
  );

  it(
    'an edge on its own has nowhere to move sessions: the command says so',
    async () => {
      const alone = await startEdge();
      try {
        const { code, stderr } = await runEdgeCli(['drain', alone.url]);
        expect(code).toBe(1);
        expect(stderr).toBe(
          'remotemedia-edge drain: the edge refused the drain (409): this edge is not in cluster mode (no --redis): there is nowhere to move its sessions\n',
        );
      } finally {
        await alone.stop();
      }
    },
    TEST_MS,
  );
});
