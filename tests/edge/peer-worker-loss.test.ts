import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, ErrorCode, type RemoteError, type RemoteNode, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { EdgeServer } from '@remotemedia/edge-server';
import { eventually } from '../support/eventually.ts';
import { i420Frame } from '../support/i420Frames.ts';

// A peer worker that fails costs only the sessions whose peers it held. In-process, because ending one
// worker thread of an edge on demand needs the edge's object (a crash cannot be provoked from outside).

interface Streamer {
  session: RemoteSession;
  node: RemoteNode;
  exact: number;
  failed: string[];
  errors: RemoteError[];
}

describe('losing a peer worker', () => {
  let root: string;
  let edge: EdgeServer;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'remotemedia-peer-loss-'));
    edge = new EdgeServer({ port: 0, logLevel: 'silent', dataDir: join(root, 'data'), sandboxWorkers: 1, peerWorkers: 2 });
    url = await edge.listen();
  });

  afterAll(async () => {
    await edge?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('tells its sessions (PEER_WORKER_LOST, they go on over the WebSocket) while sessions on the other worker keep streaming', async () => {
    const pool = edge.peerWorkerPool!;
    const streamers: Streamer[] = [];
    for (let k = 0; k < 4; k++) {
      // Short request timeout: a frame that was inside the lost worker has no answer coming.
      const session = await connect(url, {
        transport: 'datachannel',
        reconnect: false,
        requestTimeoutMs: 3000,
        video: { encoding: { codec: 'raw' } },
      });
      const streamer: Streamer = { session, node: await session.node('Flip', { direction: 'both' }), exact: 0, failed: [], errors: [] };
      session.on('error', (error) => streamer.errors.push(error));
      streamers.push(streamer);
    }
    // Fewest peers first: two sessions on each worker.
    expect(pool.loads()).toEqual([2, 2]);
    let running = true;
    const loops = streamers.map(async (streamer, k) => {
      for (let seed = 0; running && seed < 10_000; seed++) {
        const frame = i420Frame(k * 10_000 + seed);
        try {
          const [output] = (await streamer.node.process(frame)) as Iterable<VideoFrameData>;
          // Flipped both ways, the first and the last luma byte trade places.
          const out = output!.data;
          if (out.length === frame.data.length && out[0] === frame.data[320 * 240 - 1] && out[320 * 240 - 1] === frame.data[0]) streamer.exact++;
          else streamer.failed.push('wrong bytes');
        } catch (error) {
          streamer.failed.push(String((error as { code?: string }).code ?? error));
        }
      }
    });
    try {
      await eventually(() => streamers.every((s) => s.exact >= 2), Boolean, 'every session streams', 60_000);
      await pool.terminateWorker(0);
      await eventually(() => streamers.filter((s) => s.errors.length > 0).length === 2, Boolean, 'two sessions told', 60_000);
      const lost = streamers.filter((s) => s.errors.length > 0);
      const kept = streamers.filter((s) => s.errors.length === 0);
      for (const s of lost) {
        expect(s.errors.map((e) => e.code)).toEqual([ErrorCode.PeerWorkerLost]);
        expect(s.errors[0]!.message).toContain('the data channel closed and the session goes on over the WebSocket');
      }
      const marks = streamers.map((s) => s.exact);
      // Everyone goes on: the lost sessions over their WebSocket, the others on their data channel.
      await eventually(() => streamers.every((s, k) => s.exact >= marks[k]! + 3), Boolean, 'every session streams on', 60_000);
      for (const s of lost) expect(s.session.transport).toBe('websocket');
      for (const s of kept) {
        expect(s.session.transport).toBe('datachannel');
        expect(s.failed).toEqual([]);
      }
      // At most the one frame each lost session had inside the worker failed, and only as a timeout.
      for (const s of lost) {
        expect(s.failed.length).toBeLessThanOrEqual(1);
        for (const reason of s.failed) expect([ErrorCode.Timeout, ErrorCode.ConnectionClosed]).toContain(reason);
      }
      // A replacement worker takes new peers: a new session gets a data channel.
      const again = await connect(url, { transport: 'datachannel', reconnect: false, video: { encoding: { codec: 'raw' } } });
      try {
        expect(again.transport).toBe('datachannel');
        const flip = await again.node('Flip', { direction: 'both' });
        const frame = i420Frame(7);
        const [output] = (await flip.process(frame)) as Iterable<VideoFrameData>;
        expect(output!.data[0]).toBe(frame.data[320 * 240 - 1]);
      } finally {
        again.close();
      }
    } finally {
      running = false;
      await Promise.all(loops);
      for (const s of streamers) s.session.close();
    }
  }, 120_000);
});
