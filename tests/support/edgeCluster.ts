import { afterAll, beforeAll } from 'vitest';
import { startEdge, type EdgeProcess } from './edgeProcess.ts';
import { eventually } from './eventually.ts';
import { startRedis, type RedisProcess } from './redisServer.ts';

/** Heartbeat for test clusters: short, so routing sees every edge's load within a fraction of a second. */
export const TEST_HEARTBEAT_MS = 200;

/** Bounds for the cluster tests: a Redis and up to three edges start one after another, on a shared 2-core machine. */
export const CLUSTER_START_MS = 120_000;
export const TEST_MS = 90_000;

/** Reconnect settings for clients of a test cluster: retry soon and often, so a move shows within the test's bounds. */
export const FAST_RECONNECT = { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 20 } as const;

export interface EdgeCluster {
  redis: RedisProcess;
  edges: EdgeProcess[];
  /** Stops every edge still running (SIGKILL: a test that wants a graceful stop does it itself), then Redis. */
  stop(): Promise<void>;
}

/** /status's cluster section of one edge. */
export interface ClusterStatus {
  redis: { connected: boolean };
  newClientsGoTo: string;
  edges: Array<{ id: string; url: string; sessions: number; draining: boolean }>;
}

export async function clusterStatus(url: string): Promise<ClusterStatus> {
  const status = (await (await fetch(`${url}/status`)).json()) as { cluster: ClusterStatus };
  return status.cluster;
}

/** A real redis-server and `count` real edge processes joined to it on 127.0.0.1, each seeing all the others. */
export async function startEdgeCluster(count: number, args: string[] = []): Promise<EdgeCluster> {
  const redis = await startRedis();
  const edges: EdgeProcess[] = [];
  const stop = async (): Promise<void> => {
    // An edge a test killed already has its signal code; waiting for its exit again would never end.
    await Promise.all(edges.filter((edge) => edge.process.signalCode === null).map((edge) => edge.stop('SIGKILL')));
    await redis.stop();
  };
  try {
    for (let i = 0; i < count; i++) edges.push(await startClusterEdge(redis.url, args));
    for (const edge of edges)
      await eventually(
        () => clusterStatus(edge.url),
        (s) => s.edges.length === count,
        'every edge registered',
      );
  } catch (error) {
    await stop();
    throw error;
  }
  return { redis, edges, stop };
}

/**
 * One edge joined to the Redis at `redisUrl`. On this shared machine an edge's start sometimes misses
 * startEdge's 20 s (that edge is killed): such a start is tried again, up to three times.
 */
export async function startClusterEdge(redisUrl: string, args: string[] = []): Promise<EdgeProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      // A sandbox's set-up (its prelude) gets 2 s by default; on this loaded machine a restore can need more.
      return await startEdge([
        '--redis',
        redisUrl,
        '--cluster-heartbeat-ms',
        String(TEST_HEARTBEAT_MS),
        '--sandbox-call-timeout-ms',
        '10000',
        ...args,
      ]);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Waits until every edge's view shows `sessions` for the edge at `url`. */
export async function seenLoad(cluster: EdgeCluster, url: string, sessions: number): Promise<void> {
  for (const edge of cluster.edges) {
    if (edge.process.exitCode !== null || edge.process.signalCode !== null) continue;
    await eventually(
      () => clusterStatus(edge.url),
      (s) => s.edges.some((entry) => entry.url === url && entry.sessions === sessions),
      `${edge.url} sees ${sessions} sessions on ${url}`,
    );
  }
}

/**
 * A cluster for one describe block: started before its tests, stopped after them, together with the clients
 * the tests hand to `keep` (closed first).
 */
export function useEdgeCluster(count: number): { readonly cluster: EdgeCluster; keep<T extends { close(): void }>(client: T): T } {
  let current: EdgeCluster | undefined;
  const clients: Array<{ close(): void }> = [];
  beforeAll(async () => {
    current = await startEdgeCluster(count);
  }, CLUSTER_START_MS);
  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    await current?.stop();
  });
  return {
    get cluster() {
      if (current === undefined) throw new Error('the cluster is started in beforeAll; use it inside a test or hook');
      return current;
    },
    keep(client) {
      clients.push(client);
      return client;
    },
  };
}
