import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSignaling } from '../support/edgeClients.ts';
import { CLUSTER_START_MS, startClusterEdge, TEST_MS } from '../support/edgeCluster.ts';
import type { EdgeProcess } from '../support/edgeProcess.ts';
import { eventually } from '../support/eventually.ts';
import { type RedisProcess, startRedis } from '../support/redisServer.ts';

/**
 * The bug: an edge's router counted the clients it had sent to another edge only until its own next registry
 * refresh (every heartbeat). A client sent to edge B is in B's load only once it has connected there and B has
 * beaten since; a refresh in between dropped it from the count, so the next connect was sent to B again, and a
 * burst of connects all landed on the edge that had been least loaded a beat ago (tests/cluster/routing.test.ts
 * failed that way in CI, when a refresh happened to fall between its two connects).
 *
 * Made deterministic here: one real edge (A) on a real Redis, and the other edges are registry entries this test
 * writes itself, so their load and the time of their beats are what the test says; before each connect the test
 * waits until A has refreshed its view (the case that exposed the bug, not left to chance).
 */

/** The registry's layout in Redis (packages/edge-server/src/cluster/ClusterRegistry.ts). */
const EDGES_KEY = 'rm:edges';
const entryKey = (id: string): string => `rm:edge:${id}`;
/** The router's ARRIVAL_GRACE_MS: a beat taken this long after a redirect is trusted to count that client. */
const ARRIVAL_GRACE_MS = 1000;
/** A URL no client of this test ever opens: a redirect is read, never followed. */
const FAKE_URL = 'http://127.0.0.1:9';

interface FakeEdge {
  id: string;
  sessions: number;
  sandboxes: number;
  beatAt: number;
}

interface Arrival {
  /** The fake edge's id the client was redirected to, or 'A' when edge A served it itself. */
  to: string;
  /** The test's clock just before the hello was sent and just after the answer came. */
  sentAt: number;
  answeredAt: number;
}

describe('regression: cluster routing counts redirected clients until the target has beaten since', () => {
  let redis: RedisProcess;
  let edge: EdgeProcess;
  let edgeId = '';
  /** Sessions A holds (kept open: a closed session may be kept for resumption and still count). */
  const held: Array<{ ws: { close(): void } }> = [];

  const redisCli = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) =>
      execFile('/usr/bin/redis-cli', ['-p', String(redis.port), ...args], { timeout: 10_000 }, (error, stdout) =>
        error === null ? resolve(stdout.trim()) : reject(error),
      ),
    );

  /** Registers (or re-beats) a fake edge as an edge's own heartbeat would, with the load and beat time given. */
  const beat = async (fake: FakeEdge): Promise<void> => {
    const entry = { id: fake.id, url: `${FAKE_URL}/${fake.id}`, version: 'test', sessions: fake.sessions, sandboxes: fake.sandboxes };
    const text = JSON.stringify({ ...entry, busy: 0, draining: false, beatAt: fake.beatAt });
    await redisCli('SET', entryKey(fake.id), text, 'PX', '600000');
    await redisCli('SADD', EDGES_KEY, fake.id);
  };

  /** Removes every fake edge (a failed test may have left its own), so each test starts from A alone. */
  const onlyA = async (): Promise<void> => {
    for (const id of (await redisCli('SMEMBERS', EDGES_KEY)).split('\n')) {
      if (id === edgeId || id === '') continue;
      await redisCli('DEL', entryKey(id));
      await redisCli('SREM', EDGES_KEY, id);
    }
  };

  /** A's own entry as its last beat wrote it (none while it has expired: A missed beats on a loaded machine). */
  const ownEntry = async (): Promise<{ sessions: number; beatAt: number } | undefined> => {
    const text = await redisCli('GET', entryKey(edgeId));
    return text === '' ? undefined : (JSON.parse(text) as { sessions: number; beatAt: number });
  };

  /**
   * Waits until A has refreshed its view after now: a beat of A that started later than now has written its
   * entry, and a later beat has started (beats never overlap, so the first one's read of the registry is done).
   */
  const refreshed = async (): Promise<void> => {
    const after = Date.now();
    const first = await eventually(ownEntry, (entry) => entry !== undefined && entry.beatAt > after, 'a beat of edge A after the writes');
    await eventually(ownEntry, (entry) => entry !== undefined && entry.beatAt > first!.beatAt, 'the beat after that');
  };

  /** A new client's hello to A (refreshed first): where A sends it. A client A serves is kept open. */
  const connect = async (): Promise<Arrival> => {
    await refreshed();
    const client = await rawSignaling(edge.url);
    const sentAt = Date.now();
    await client.channel.send({ type: 'hello', sdkVersion: 'raw' });
    const answer = await client.next();
    const answeredAt = Date.now();
    if (answer.type === 'welcome') {
      held.push(client);
      return { to: 'A', sentAt, answeredAt };
    }
    client.ws.close();
    if (answer.type !== 'redirect') throw new Error(`expected a welcome or a redirect, got ${JSON.stringify(answer)}`);
    return { to: answer.url.slice(FAKE_URL.length + 1), sentAt, answeredAt };
  };

  /** Waits until A reports holding `count` sessions (the router compares against A's live count). */
  const holding = (count: number): Promise<unknown> => eventually(ownEntry, (entry) => entry?.sessions === count, `edge A holds ${count} sessions`);

  /** Fake edges removed, A's load settled: the sessions A holds, which each test's fake loads are set against. */
  const aloneHolding = async (): Promise<number> => {
    await onlyA();
    await holding(held.length);
    return held.length;
  };

  beforeAll(async () => {
    redis = await startRedis();
    edge = await startClusterEdge(redis.url);
    const members = await eventually(
      () => redisCli('SMEMBERS', EDGES_KEY),
      (text) => text.length > 0,
      'edge A registered',
    );
    edgeId = members.split('\n')[0]!;
    // Alone in the cluster, A serves every client itself: two sessions to start from.
    for (let i = 0; i < 2; i++) expect((await connect()).to).toBe('A');
    await holding(2);
  }, CLUSTER_START_MS);

  afterAll(async () => {
    for (const client of held.splice(0)) client.ws.close();
    await edge?.stop('SIGKILL');
    await redis?.stop();
  });

  it(
    'a burst of connects, with refreshes between them, spreads over the edges before A serves one itself',
    async () => {
      const own = await aloneHolding();
      // B and C hold two sessions fewer than A and last beat before the burst (a beat of theirs would not count
      // the clients yet). C runs a sandbox, so on equal sessions B is the less loaded: the order is fixed.
      const burstStart = Date.now();
      const b = { id: 'b', sessions: own - 2, sandboxes: 0, beatAt: burstStart };
      const c = { id: 'c', sessions: own - 2, sandboxes: 1, beatAt: burstStart };
      await beat(b);
      await beat(c);
      const arrivals: string[] = [];
      for (let i = 0; i < 5; i++) arrivals.push((await connect()).to);
      // B and C get two each, then their counted load equals A's and A serves the fifth itself.
      // Before the fix every connect went to B (each refresh forgot the clients already sent there).
      expect(arrivals).toEqual(['b', 'c', 'b', 'c', 'A']);
      await holding(own + 1);
    },
    TEST_MS,
  );

  it(
    'a client sent to an edge counts there through its beats within the grace, and once after a later beat counts it',
    async () => {
      const own = await aloneHolding();
      // D holds one session less than A, so the next client goes to D.
      const d = { id: 'd', sessions: own - 1, sandboxes: 0, beatAt: Date.now() };
      await beat(d);
      const sent = await connect();
      expect(sent.to).toBe('d');

      // D beats again before the client has arrived there (same load): the client still counts, D looks as loaded
      // as A, and A serves the next one itself. Before the fix, the refresh forgot it and sent this one to D too.
      await beat({ ...d, beatAt: sent.sentAt });
      expect((await connect()).to).toBe('A');
      await holding(own + 1);

      // D's beat taken the grace after the redirect counts the client itself: counting it here too would make D
      // look as loaded as A (own + 1), so A would keep the next client; counted once, it goes to D.
      await eventually(
        () => Date.now(),
        (now) => now >= sent.answeredAt + ARRIVAL_GRACE_MS,
        'the grace after the redirect has passed',
      );
      await beat({ ...d, sessions: own, beatAt: Date.now() });
      expect((await connect()).to).toBe('d');
    },
    TEST_MS,
  );
});
