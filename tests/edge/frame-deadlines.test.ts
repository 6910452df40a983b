import { describe, expect, it } from 'vitest';
import { LiveVideoPump, connect, createVideoFrame, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { packBusyCounter, packCounter } from '../support/edgeClients.ts';
import { useEdge } from '../support/edgeProcess.ts';

const nowMs = (): number => performance.timeOrigin + performance.now();

type Outcome = { ok: true } | { ok: false; code: string | undefined; message: string };

async function outcome(node: RemoteNode, item: unknown, capturedAt?: number): Promise<Outcome> {
  try {
    await node.process(item, capturedAt === undefined ? {} : { capturedAt });
    return { ok: true };
  } catch (error) {
    return { ok: false, code: (error as { code?: string }).code, message: (error as Error).message };
  }
}

async function withSession<T>(url: string, body: (session: RemoteSession) => Promise<T>, frameDeadlineMs?: number): Promise<T> {
  const session = await connect(url, { transport: 'websocket', reconnect: false, ...(frameDeadlineMs === undefined ? {} : { frameDeadlineMs }) });
  try {
    return await body(session);
  } finally {
    session.close();
  }
}

describe('frame deadlines: the edge skips frames older than their deadline and says so (cause deadline)', () => {
  const edge = useEdge(['--sandbox-workers', '1']);

  it('a frame captured long ago is skipped on arrival (FRAME_EXPIRED, counted apart); fresh frames around it run', async () => {
    await withSession(edge.url, async (session) => {
      const node = await session.deploy(await packCounter());
      const fresh1 = await outcome(node, { tag: 1 });
      const old = await outcome(node, { tag: 2 }, nowMs() - 5_000);
      const fresh2 = await outcome(node, { tag: 3 });
      expect(fresh1).toEqual({ ok: true });
      expect(fresh2).toEqual({ ok: true });
      expect(old).toMatchObject({ ok: false, code: 'FRAME_EXPIRED' });
      expect((old as { message: string }).message).toMatch(
        /frame 2 was skipped by the edge: frame was \d+ ms old when it arrived, over this node's 1000 ms deadline/,
      );
      // The old frame never reached the node: it counted two items.
      expect(await node.call('get')).toBe(2);
      const stats = session.stats();
      expect(stats).toMatchObject({ framesSent: 3, framesReceived: 2, framesSkippedByDeadline: 1, framesDroppedByEdge: 0, framesFailed: 0 });
    });
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    expect(metrics).toMatch(/^remotemedia_frames_dropped_total\{[^}]*cause="deadline"[^}]*\} [1-9]/m);
  }, 30_000);

  it('a slow node: frames that waited past the deadline are skipped when their turn comes, every frame accounted for', async () => {
    await withSession(edge.url, async (session) => {
      // 600 ms per frame against a 300 ms deadline: the frames queued behind the first wait 600 ms or more. (Well
      // under the sandbox's 1 s call limit, which a 1 s busy loop reached on a loaded machine.)
      const node = await session.deploy(await packBusyCounter(600), { deadlineMs: 300 });
      const burst = await Promise.all([1, 2, 3].map((tag) => outcome(node, { tag })));
      expect(burst[0]).toEqual({ ok: true });
      for (const late of burst.slice(1)) {
        expect(late).toMatchObject({ ok: false, code: 'FRAME_EXPIRED' });
        expect((late as { message: string }).message).toMatch(/frame was \d+ ms old when its turn came, over this node's 300 ms deadline/);
      }
      // Idle again: a fresh frame still runs.
      expect(await outcome(node, { tag: 4 })).toEqual({ ok: true });
      const stats = session.stats();
      expect(stats.framesSent).toBe(4);
      expect(stats.framesReceived + stats.framesSkippedByDeadline + stats.framesDroppedByEdge + stats.framesFailed).toBe(4);
      expect(stats).toMatchObject({ framesReceived: 2, framesSkippedByDeadline: 2, framesDroppedByEdge: 0 });
      // Per-frame timing from the edge: the node stage covers the busy loop, the queue stage the wait.
      expect(stats.frameStages.node?.samples).toBe(2);
      expect(stats.frameStages.node!.p99Ms).toBeGreaterThanOrEqual(600);
      expect(stats.frameStages.edgeQueue?.samples).toBe(2);
      expect(stats.frameStages.network?.samples).toBe(2);
    });
  }, 30_000);

  it('a wrong client clock (an hour behind, or ahead) does not make the edge skip every frame', async () => {
    for (const errorMs of [-3_600_000, 3_600_000]) {
      await withSession(edge.url, async (session) => {
        const node = await session.deploy(await packCounter());
        // capturedAt on a clock that is off by an hour and was never corrected: every frame looks an hour old (or
        // an hour in the future). The edge measures age from the fastest recent frame instead of trusting it.
        const results: Outcome[] = [];
        for (let tag = 1; tag <= 5; tag++) results.push(await outcome(node, { tag }, nowMs() + errorMs));
        expect(results).toEqual(Array(5).fill({ ok: true }));
        // Still a deadline: a frame 5 s older than its neighbours on that same wrong clock is skipped, and says why.
        const late = await outcome(node, { tag: 6 }, nowMs() + errorMs - 5_000);
        expect(late).toMatchObject({ ok: false, code: 'FRAME_EXPIRED' });
        expect((late as { message: string }).message).toMatch(/the client's clock seems \d+ ms off/);
        expect(await outcome(node, { tag: 7 }, nowMs() + errorMs)).toEqual({ ok: true });
        expect(session.stats()).toMatchObject({ framesReceived: 6, framesSkippedByDeadline: 1 });
      });
    }
  }, 30_000);

  it('deadline 0 (per session here) never skips a frame for its age; a per-node deadline overrides the session one', async () => {
    await withSession(
      edge.url,
      async (session) => {
        const off = await session.deploy(await packCounter());
        expect(await outcome(off, { tag: 1 })).toEqual({ ok: true });
        expect(await outcome(off, { tag: 2 }, nowMs() - 60_000)).toEqual({ ok: true });
        const strict = await session.deploy(await packCounter(), { deadlineMs: 1_000 });
        expect(await outcome(strict, { tag: 1 })).toEqual({ ok: true });
        expect(await outcome(strict, { tag: 2 }, nowMs() - 60_000)).toMatchObject({ ok: false, code: 'FRAME_EXPIRED' });
      },
      0,
    );
  }, 30_000);

  it('refuses a deadline out of range, naming the field', async () => {
    await withSession(edge.url, async (session) => {
      const refused = await session.deploy(await packCounter(), { deadlineMs: 10_000_000 }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'MALFORMED_MESSAGE' });
      expect((refused as Error).message).toContain('deploy message.deadlineMs must be at most 600000');
    });
  }, 30_000);

  it('measures the edge clock from welcome and pongs (loopback: the same clock, so the offset is small)', async () => {
    await withSession(edge.url, async (session) => {
      const offset = session.stats().clockOffsetMs;
      expect(Number.isFinite(offset)).toBe(true);
      expect(Math.abs(offset)).toBeLessThan(1_000);
    });
  }, 30_000);

  it('the live pump counts deadline skips apart from queue drops, and accounts for every captured frame', async () => {
    await withSession(edge.url, async (session) => {
      const node = await session.deploy(await packBusyCounter(400), { deadlineMs: 200 });
      const pump = new LiveVideoPump(node as RemoteNode, { maxInFlight: 3, onOutput: () => undefined });
      async function* frames() {
        for (let i = 0; i < 12; i++) {
          yield createVideoFrame({ width: 4, height: 4, format: 'gray', timestamp: i });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await pump.run(frames());
      // Wait (bounded) until every frame sent has its answer.
      for (
        let i = 0;
        i < 100 &&
        pump.stats.received + pump.stats.skippedByDeadline + pump.stats.droppedByEdge + pump.stats.failed + pump.stats.lost < pump.stats.sent;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const s = pump.stats;
      expect(s.captured).toBe(12);
      expect(s.received + s.skippedByDeadline + s.droppedByEdge + s.droppedLocally + s.failed + s.lost).toBe(12);
      expect(s.skippedByDeadline).toBeGreaterThan(0);
      expect(s.received).toBeGreaterThan(0);
      expect(s.failed).toBe(0);
      expect(session.stats().framesSkippedByDeadline).toBe(s.skippedByDeadline);
    });
  }, 60_000);
});
