import { connect } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { packCounter, rawSignaling } from '../support/edgeClients.ts';
import { clusterStatus, seenLoad, TEST_MS, useEdgeCluster } from '../support/edgeCluster.ts';
import { edgeMetric } from '../support/edgeMetric.ts';

describe('cluster: routing and shared packages (three edges behind one Redis)', () => {
  const edges = useEdgeCluster(3);

  it(
    '/status lists every edge with its load and where new clients go',
    async () => {
      const [a, b, c] = edges.cluster.edges.map((edge) => edge.url);
      const status = await clusterStatus(a!);
      expect(status.redis.connected).toBe(true);
      expect(status.edges.map((edge) => edge.url).sort()).toEqual([a, b, c].sort());
      expect(status.edges.every((edge) => edge.sessions === 0 && !edge.draining)).toBe(true);
      // Every edge is as loaded as this one: it serves new clients itself.
      expect(status.newClientsGoTo).toBe(a);
      const text = JSON.stringify(await (await fetch(`${a}/status`)).json());
      expect(text).not.toContain('password');
    },
    TEST_MS,
  );

  it(
    'a client that reaches a loaded edge is sent on to the least loaded one, and the SDK shows where it ended',
    async () => {
      const [a, b, c] = edges.cluster.edges.map((edge) => edge.url);
      const first = await connect(a!, { transport: 'websocket' });
      edges.keep(first);
      expect(first.stats().edgeUrl).toBe(a);
      await seenLoad(edges.cluster, a!, 1);
      // A holds one session, B and C none: both later clients that reach A go elsewhere, one to each.
      const second = await connect(a!, { transport: 'websocket' });
      const third = await connect(a!, { transport: 'websocket' });
      edges.keep(second);
      edges.keep(third);
      const ended = [second.stats().edgeUrl, third.stats().edgeUrl];
      expect(ended.sort()).toEqual([b, c].sort());
      expect(await edgeMetric(a!, 'remotemedia_cluster_redirects_total{reason="least_loaded"}')).toBe(2);
      // Each works where it ended up.
      const node = await second.deploy(await packCounter());
      expect([...(await node.process({ tag: 'x' }))]).toEqual([{ count: 1 }]);
    },
    TEST_MS,
  );

  it(
    'an edge with no fewer sessions than the others serves a new client itself',
    async () => {
      const [a, b, c] = edges.cluster.edges.map((edge) => edge.url);
      for (const url of [a!, b!, c!]) await seenLoad(edges.cluster, url, 1);
      const session = await connect(b!, { transport: 'websocket' });
      edges.keep(session);
      expect(session.stats().edgeUrl).toBe(b);
    },
    TEST_MS,
  );

  it(
    'deploys by id on edge B a package that was sent to edge A, without the package crossing the wire again',
    async () => {
      const [a, b] = edges.cluster.edges.map((edge) => edge.url);
      const pkg = await packCounter('\n// shared across the cluster\n');
      const onA = await rawSignaling(a!);
      await onA.channel.send({ type: 'hello', sdkVersion: 'raw', redirected: true });
      expect((await onA.next('welcome')).type).toBe('welcome');
      await onA.channel.send({ type: 'deploy', id: 1, nodeId: 'n1', packageId: pkg.id, pkg });
      expect(await onA.next()).toMatchObject({ type: 'reply', id: 1 });
      onA.ws.close();

      const onB = await rawSignaling(b!);
      await onB.channel.send({ type: 'hello', sdkVersion: 'raw', redirected: true });
      await onB.next('welcome');
      // By id alone: edge B never saw this package from a client.
      await onB.channel.send({ type: 'deploy', id: 1, nodeId: 'n1', packageId: pkg.id });
      expect(await onB.next()).toMatchObject({ type: 'reply', id: 1 });
      await onB.channel.send({ type: 'frame', nodeId: 'n1', seq: 1, item: { tag: 'b' } });
      expect(await onB.next()).toMatchObject({ type: 'output', seq: 1, items: [{ count: 1 }] });
      // A package the cluster does not have is still UNKNOWN_PACKAGE (the SDK then sends it).
      await onB.channel.send({ type: 'deploy', id: 2, nodeId: 'n2', packageId: 'f'.repeat(64) });
      expect(await onB.next()).toMatchObject({ type: 'error', id: 2, error: { code: 'UNKNOWN_PACKAGE' } });
      onB.ws.close();
    },
    TEST_MS,
  );
});
