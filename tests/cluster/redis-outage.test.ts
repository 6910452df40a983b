import { connect } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { packCounter } from '../support/edgeClients.ts';
import { clusterStatus, TEST_MS, useEdgeCluster } from '../support/edgeCluster.ts';
import { edgeMetric } from '../support/edgeMetric.ts';
import { eventually } from '../support/eventually.ts';

async function readiness(url: string): Promise<{ status: number; body: { ready: boolean; reason?: string } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { ready: boolean; reason?: string } };
}

describe('cluster: Redis stopped and restarted', () => {
  const edges = useEdgeCluster(2);

  it(
    'edges keep serving the sessions they hold, refuse cluster-only work with CLUSTER_UNAVAILABLE, report not ready, then recover',
    async () => {
      const [a, b] = edges.cluster.edges.map((edge) => edge.url);
      const session = edges.keep(await connect(a!, { transport: 'websocket', reconnect: false }));
      const counter = await session.deploy(await packCounter(), { persist: true });
      const plain = await session.deploy(await packCounter());
      await counter.process({ tag: 'before' });
      await counter.save();

      await edges.cluster.redis.stop();
      for (const url of [a!, b!]) {
        const { status, body } = await eventually(
          () => readiness(url),
          (r) => r.status === 503,
          `${url} reports not ready`,
        );
        expect(status).toBe(503);
        expect(body.reason).toBe('the cluster store (Redis) is unreachable');
      }
      // The session this edge holds keeps working: frames and calls on both nodes.
      expect([...(await counter.process({ tag: 'during' }))]).toEqual([{ count: 2 }]);
      expect([...(await plain.process({ tag: 'during' }))]).toEqual([{ count: 1 }]);
      expect(await counter.call('add', 10)).toBe(12);
      // Saving needs the cluster store: refused with a typed, retryable error that says so.
      const saveError = (await counter.save().catch((error: unknown) => error)) as { code?: string; message?: string; retryable?: boolean };
      expect(saveError.code).toBe('CLUSTER_UNAVAILABLE');
      expect(saveError.message).toContain('saving a persistent node needs the cluster store (Redis at redis://127.0.0.1:');
      expect(saveError.message).toContain('retry shortly');
      // So does resuming a session this edge does not hold.
      const resumeError = (await connect(b!, { transport: 'websocket', reconnect: false, resumeToken: 'A'.repeat(32) }).catch(
        (error: unknown) => error,
      )) as { code?: string; message?: string };
      expect(resumeError.code).toBe('CLUSTER_UNAVAILABLE');
      expect(resumeError.message).toContain('restoring a session from the cluster');
      expect(await edgeMetric(a!, 'remotemedia_cluster_redis_errors_total')).toBeGreaterThan(0);

      await edges.cluster.redis.restart();
      for (const url of [a!, b!]) {
        await eventually(
          () => readiness(url),
          (r) => r.status === 200 && r.body.ready,
          `${url} ready again`,
        );
        // Both re-registered in the emptied Redis.
        await eventually(
          () => clusterStatus(url),
          (s) => s.redis.connected && s.edges.length === 2,
          `${url} sees both edges again`,
        );
      }
      await counter.save();
      expect([...(await counter.process({ tag: 'after' }))]).toEqual([{ count: 13 }]);
      expect(session.stats().reconnects).toBe(0);
    },
    TEST_MS,
  );
});
