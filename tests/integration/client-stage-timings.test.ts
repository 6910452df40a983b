import { describe, expect, it } from 'vitest';
import { connect, jpegEncoding, type FrameStage, type SessionStats } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { cameraPattern } from '../support/testPattern.ts';

// Inverts colour: a sandboxed user node that touches every pixel.
const INVERT = `
export class Invert {
  process(frame) {
    const d = frame.data;
    for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    return frame;
  }
}
`;

const FRAMES = 4;

function expectPlausible(stages: SessionStats['frameStages'], stage: FrameStage): void {
  const timing = stages[stage];
  expect(timing?.samples, `${stage} in ${JSON.stringify(stages)}`).toBe(FRAMES);
  for (const ms of [timing!.p50Ms, timing!.p99Ms]) {
    expect(Number.isFinite(ms), `${stage}: ${ms}`).toBe(true);
    expect(ms, stage).toBeGreaterThanOrEqual(0);
  }
  expect(timing!.p99Ms, stage).toBeGreaterThanOrEqual(timing!.p50Ms);
}

describe('client-side stage timings (Node SDK and its codec against a real edge process)', () => {
  const edge = useEdge();

  for (const transport of ['datachannel', 'websocket'] as const) {
    it(`reports encode and decode beside the edge's stages when JPEG is used, over the ${transport}`, async () => {
      const session = await connect(edge.url, { transport, reconnect: false, video: { encoding: jpegEncoding(0.8), adapt: false } });
      try {
        const invert = await deploySource(session, INVERT);
        for (let seed = 1; seed <= FRAMES; seed++) await invert.process(cameraPattern(320, 240, seed));
        const stats = session.stats();
        expect(stats.video.encoded).toBe(FRAMES);
        expect(stats.video.decoded).toBe(FRAMES);
        // The edge decodes and encodes in the worker that runs the node and reports both apart from `node`.
        for (const stage of ['encode', 'network', 'edgeDecode', 'edgeQueue', 'node', 'edgeEncode', 'decode'] as const) {
          expectPlausible(stats.frameStages, stage);
        }
      } finally {
        session.close();
      }
    }, 60_000);
  }

  it("reports the edge's decode and encode for a built-in node too", async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false, video: { encoding: jpegEncoding(0.8), adapt: false } });
    try {
      const flip = await session.node('Flip', { direction: 'horizontal' });
      for (let seed = 1; seed <= FRAMES; seed++) await flip.process(cameraPattern(320, 240, seed));
      const stats = session.stats();
      for (const stage of ['edgeDecode', 'node', 'edgeEncode'] as const) expectPlausible(stats.frameStages, stage);
    } finally {
      session.close();
    }
  }, 60_000);

  it('leaves encode and decode (here and on the edge) out when video goes raw', async () => {
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false, video: { encoding: { codec: 'raw' } } });
    try {
      const invert = await deploySource(session, INVERT);
      for (let seed = 1; seed <= FRAMES; seed++) await invert.process(cameraPattern(320, 240, seed));
      const stats = session.stats();
      expect(stats.video.encoded).toBe(0);
      for (const stage of ['network', 'edgeQueue', 'node'] as const) expectPlausible(stats.frameStages, stage);
      expect(Object.keys(stats.frameStages).sort()).toEqual(['edgeQueue', 'network', 'node']);
    } finally {
      session.close();
    }
  }, 60_000);
});
