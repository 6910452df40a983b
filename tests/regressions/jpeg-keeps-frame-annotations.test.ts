import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline, createNode, createVideoFrame, type VideoFrameData } from '@remotemedia/shared';
import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

/**
 * Regression: with JPEG on the wire (the data channel's default), compressing a frame kept only its pixels, so
 * what a node attached to its output (MotionDetector's `motion`, BlackFrameDetector's `blackFrame`) never reached
 * the client, and what the app attached to its input (a LatencyTap's start mark) never reached the edge.
 */
describe('regression: JPEG frames keep their annotations both ways', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;

  beforeAll(async () => {
    edge = await startEdge();
    session = await connect(edge.url, { transport: 'websocket', video: { encoding: { codec: 'jpeg', quality: 0.9 } } });
  });

  afterAll(async () => {
    session?.close();
    await edge?.stop();
  });

  function frames(): VideoFrameData[] {
    return Array.from({ length: 3 }, (_, n) => {
      const frame = createVideoFrame({ width: 128, height: 96, format: 'rgba', timestamp: n * 40 });
      for (let i = 0; i < 128 * 96; i++) {
        const x = i % 128;
        const y = Math.floor(i / 128);
        const v = x >= 10 + n * 30 && x < 40 + n * 30 && y >= 30 && y < 60 ? 230 : 30;
        frame.data.set([v, v, v, 255], 4 * i);
      }
      return frame;
    });
  }

  it("a remote detector's findings come back on the compressed output frames", async () => {
    const out: unknown[] = [];
    for await (const item of new Pipeline([await session.node('MotionDetector', { cellSize: 8 })]).stream(frames())) out.push(item);
    const motion = (out as Array<{ motion?: { detected: boolean; regions: unknown[] } }>).map((f) => f.motion);
    expect(motion.map((m) => m?.detected)).toEqual([false, true, true]);
    expect(motion[2]!.regions.length).toBeGreaterThan(0);
    expect(session.stats().video.encoding.codec).toBe('jpeg');
  });

  it('a mark the app put on a frame survives the trip through a remote node', async () => {
    const pipeline = new Pipeline([
      createNode('LatencyTap', { label: 'edge', role: 'start' }),
      await session.node('Grayscale'),
      createNode('LatencyTap', { label: 'edge', role: 'end' }),
    ]);
    const out: unknown[] = [];
    for await (const item of pipeline.stream(frames())) out.push(item);
    const latency = (out as Array<{ latency: { ms: number; count: number } }>).map((f) => f.latency);
    expect(latency).toHaveLength(3);
    for (const measured of latency) expect(measured.ms).toBeGreaterThanOrEqual(0);
    expect(latency.at(-1)!.count).toBe(3);
  });
});
