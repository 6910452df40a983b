import { describe, expect, it } from 'vitest';
import { connect, jpegEncoding, type RemoteNode, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { cameraPattern } from '../support/testPattern.ts';

// Busy-waits inside the sandbox for as long as it is told: a slow path the client can switch on and off.
const SLOW = `
export class Slow {
  constructor() { this.delayMs = 0; }
  setDelay(ms) { this.delayMs = ms; }
  process(frame) {
    const until = Date.now() + this.delayMs;
    while (Date.now() < until) {}
    return frame;
  }
}
`;

const BUDGET_MS = 200;
const WINDOW = 4;

async function send(node: RemoteNode, seed: number): Promise<VideoFrameData> {
  const [output] = (await node.process(cameraPattern(160, 120, seed))) as Iterable<VideoFrameData>;
  return output!;
}

/** Sends frames one at a time until `done` holds (at most `limit`), then one more at the new level; returns its output. */
async function sendUntil(session: RemoteSession, node: RemoteNode, done: () => boolean, limit: number): Promise<VideoFrameData> {
  for (let i = 0; i < limit && !done(); i++) await send(node, i);
  expect(done(), `not reached within ${limit} frames: ${JSON.stringify(session.stats().video.adapt)}`).toBe(true);
  return send(node, limit);
}

describe('video adapts to the path (JPEG quality, then resolution) with hysteresis', () => {
  const edge = useEdge();

  it('steps down while round trips stay over budget and back up once the delay is gone, saying why each time', async () => {
    const session = await connect(edge.url, {
      transport: 'websocket',
      video: { encoding: jpegEncoding(0.8), adapt: { rttBudgetMs: BUDGET_MS, window: WINDOW } },
    });
    try {
      const node = await deploySource(session, SLOW);
      const level = (): number => session.stats().video.adapt!.level;
      expect(session.stats().video.adapt).toMatchObject({ level: 0, quality: 0.8, scale: 1, reason: 'start', changes: 0 });

      // A path twice the budget: quality goes down first...
      await node.call('setDelay', BUDGET_MS * 2);
      await sendUntil(session, node, () => level() >= 1, WINDOW * 2);
      const down = session.stats().video;
      expect(down.adapt).toMatchObject({ level: 1, scale: 1 });
      expect(down.adapt!.quality).toBeLessThan(0.8);
      expect(down.adapt!.reason).toMatch(new RegExp(`^down to level 1: round trip median \\d+ ms over the ${BUDGET_MS} ms budget$`));
      expect(down.encoding).toEqual({ codec: 'jpeg', quality: down.adapt!.quality });

      // ...then resolution: frames go (and come back) at half size.
      const small = await sendUntil(session, node, () => session.stats().video.adapt!.scale < 1, WINDOW * 4);
      expect(small).toMatchObject({ width: 80, height: 60 });

      // The delay gone, the level climbs back to the start, one window at a time.
      await node.call('setDelay', 0);
      const full = await sendUntil(session, node, () => level() === 0, WINDOW * 12);
      expect(full).toMatchObject({ width: 160, height: 120 });
      const up = session.stats().video.adapt!;
      expect(up).toMatchObject({ level: 0, quality: 0.8, scale: 1 });
      expect(up.reason).toMatch(new RegExp(`^up to level 0: round trip median \\d+ ms under half the ${BUDGET_MS} ms budget$`));
      expect(up.changes).toBeGreaterThanOrEqual(6);
      // Every frame came back: adaptation never drops or queues.
      expect(session.stats().framesReceived).toBe(session.stats().framesSent);
    } finally {
      session.close();
    }
  }, 90_000);
});
