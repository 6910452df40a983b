import { connect } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { packCounter } from '../support/edgeClients.ts';
import { TEST_MS, useEdgeCluster } from '../support/edgeCluster.ts';

describe('cluster: a session resumed on another edge while the first still holds it', () => {
  const edges = useEdgeCluster(2);

  it(
    "the first edge's stale copy cannot overwrite the state saved on the edge that took the session over",
    async () => {
      const [a, b] = edges.cluster.edges.map((edge) => edge.url);
      // Edge A holds the session (its client never noticed anything went wrong).
      const onA = edges.keep(await connect(a!, { transport: 'websocket', reconnect: false }));
      expect(onA.stats().edgeUrl).toBe(a);
      const counterOnA = await onA.deploy(await packCounter(), { persist: true });
      expect(await counterOnA.call('add', 5)).toBe(5);
      await counterOnA.save();

      // The same token reaches edge B (as after a network change): B rebuilds the session from Redis and goes on.
      const onB = edges.keep(await connect(b!, { transport: 'websocket', reconnect: false, resumeToken: onA.resumeToken }));
      expect(onB.stats().edgeUrl).toBe(b);
      expect(onB.resumed).toBe(true);
      const counterOnB = onB.nodes.get(counterOnA.nodeId)!;
      expect(await counterOnB.call('add', 100)).toBe(105);
      await counterOnB.save();

      // A's copy is stale: its save is refused with a typed error, and closing it (an expiry snapshot) writes nothing.
      const stale = (await counterOnA.save().catch((error: unknown) => error)) as { code?: string; message?: string };
      expect(stale.code).toBe('SESSION_CLOSED');
      expect(stale.message).toContain('this session was resumed on another edge of the cluster');
      onA.close();

      // Rebuilt from Redis (A no longer holds it), what comes back is what B saved.
      const again = edges.keep(await connect(a!, { transport: 'websocket', reconnect: false, resumeToken: onA.resumeToken }));
      expect(again.resumed).toBe(true);
      expect(await again.nodes.get(counterOnA.nodeId)!.call('get')).toBe(105);
    },
    TEST_MS,
  );
});
