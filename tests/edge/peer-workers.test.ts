import { describe, expect, it } from 'vitest';
import { connect, packSources, type RemoteNode, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';
import { eventually } from '../support/eventually.ts';
import { INVERT_SOURCE, i420Frame, inverted } from '../support/i420Frames.ts';

// Sessions' werift peers live in peer worker threads (two here), sessions spread over them.

async function invertSession(url: string): Promise<{ session: RemoteSession; node: RemoteNode }> {
  const session = await connect(url, { transport: 'datachannel', reconnect: false, video: { encoding: { codec: 'raw' } } });
  const node = await session.deploy(await packSources({ sources: { 'invert.js': INVERT_SOURCE }, entry: 'invert.js', exportName: 'Invert' }));
  return { session, node };
}

/** Sends one frame and checks every byte of the answer; returns false on a wrong answer. */
async function roundTrip(node: RemoteNode, seed: number): Promise<boolean> {
  const frame = i420Frame(seed);
  const expected = inverted(frame);
  const [output] = (await node.process(frame)) as Iterable<VideoFrameData>;
  return Buffer.from(output!.data).equals(expected);
}

describe('data-channel sessions sharded over peer workers', () => {
  const edge = useEdge(['--peer-workers', '2', '--sandbox-workers', '1']);

  it('six sessions at once each get every frame back, byte-exact', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => invertSession(edge.url)));
    try {
      for (const { session } of clients) expect(session.transport).toBe('datachannel');
      const results = await Promise.all(
        clients.map(async ({ node }, k) => {
          const exact: boolean[] = [];
          for (let seed = 0; seed < 6; seed++) exact.push(await roundTrip(node, k * 100 + seed));
          return exact;
        }),
      );
      expect(results).toEqual(Array.from({ length: 6 }, () => Array(6).fill(true)));
      for (const { session } of clients) {
        const stats = session.stats();
        expect([stats.framesSent, stats.framesReceived, stats.framesDroppedByEdge, stats.framesFailed, stats.framesLost]).toEqual([6, 6, 0, 0, 0]);
      }
    } finally {
      for (const { session } of clients) session.close();
    }
  }, 120_000);

  it("a new session's signaling and data channel complete while four others stream", async () => {
    const streamers = await Promise.all(Array.from({ length: 4 }, () => invertSession(edge.url)));
    let running = true;
    const counts = streamers.map(() => ({ exact: 0, wrong: 0, failed: [] as string[] }));
    const loops = streamers.map(async ({ node }, k) => {
      for (let seed = 0; running && seed < 10_000; seed++) {
        try {
          if (await roundTrip(node, k * 10_000 + seed)) counts[k]!.exact++;
          else counts[k]!.wrong++;
        } catch (error) {
          counts[k]!.failed.push(String((error as { code?: string }).code ?? error));
        }
      }
    });
    try {
      await eventually(() => counts.every((count) => count.exact >= 2), Boolean, 'every streamer got two frames back', 60_000);
      const before = counts.map((count) => count.exact);
      const newcomer = await invertSession(edge.url);
      try {
        expect(newcomer.session.transport).toBe('datachannel');
        expect(await roundTrip(newcomer.node, 1)).toBe(true);
      } finally {
        newcomer.session.close();
      }
      // The streams went on: each got more frames back after the newcomer arrived.
      await eventually(() => counts.every((count, k) => count.exact > before[k]!), Boolean, 'every streamer went on', 60_000);
    } finally {
      running = false;
      await Promise.all(loops);
      for (const { session } of streamers) session.close();
    }
    for (const count of counts) expect([count.wrong, count.failed]).toEqual([0, []]);
  }, 120_000);
});
