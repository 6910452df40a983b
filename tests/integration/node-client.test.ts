import { describe, expect, it } from 'vitest';
import { connect, createVideoFrame, ErrorCode, RemoteError, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { packSources } from '@remotemedia/browser-sdk';
import { useEdge } from '../support/edgeProcess.ts';

const GRAYSCALE = `
export class Grayscale {
  constructor(label) { this.label = label; this.frames = 0; }
  process(frame) {
    const d = frame.data;
    for (let i = 0; i < d.length; i += 4) {
      const y = (d[i] * 77 + d[i + 1] * 150 + d[i + 2] * 29) >> 8;
      d[i] = d[i + 1] = d[i + 2] = y;
    }
    this.frames++;
    return frame;
  }
  count() { return this.label + ':' + this.frames; }
  fail() { throw new RangeError('deliberate failure'); }
}
`;

function testFrame(seed: number): VideoFrameData {
  const frame = createVideoFrame({ width: 320, height: 240, format: 'rgba', timestamp: seed });
  for (let i = 0; i < frame.data.length; i += 4) {
    frame.data[i] = (i * 7 + seed) & 255;
    frame.data[i + 1] = (i * 13 + seed * 3) & 255;
    frame.data[i + 2] = (i * 29 + seed * 5) & 255;
    frame.data[i + 3] = 255;
  }
  return frame;
}

describe('Node SDK (werift) against a real edge process', () => {
  const edge = useEdge();

  for (const transport of ['datachannel', 'websocket'] as const) {
    it(`processes frames through a sandboxed node over the ${transport}, keeping its state`, async () => {
      // Raw (lossless) so every pixel can be checked exactly; JPEG is covered by encoded-video.test.ts.
      const session = await connect(edge.url, { transport, video: { encoding: { codec: 'raw' } } });
      try {
        expect(session.transport).toBe(transport);
        const pkg = await packSources({ sources: { 'gray.js': GRAYSCALE }, entry: 'gray.js', exportName: 'Grayscale' });
        const node = await session.deploy(pkg, { ctorArgs: ['cam'] });
        expect(node.name).toBe('Grayscale');
        for (let seed = 0; seed < 5; seed++) {
          const input = testFrame(seed);
          const expected = new Uint8Array(input.data);
          const [output] = (await node.process(input)) as Iterable<VideoFrameData>;
          expect(output.width).toBe(320);
          expect(output.data).toBeInstanceOf(Uint8Array);
          for (let i = 0; i < expected.length; i += 4 * 997) {
            const y = (expected[i]! * 77 + expected[i + 1]! * 150 + expected[i + 2]! * 29) >> 8;
            expect([output.data[i], output.data[i + 1], output.data[i + 2], output.data[i + 3]]).toEqual([y, y, y, 255]);
          }
        }
        expect(await node.call('count')).toBe('cam:5');
        const stats = session.stats();
        expect(stats.framesReceived).toBe(5);
        expect(stats.rttSamples).toBe(5);
        expect(stats.rttP50Ms).toBeGreaterThan(0);

        const failure = await node.call('fail').catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(RemoteError);
        expect((failure as RemoteError).code).toBe(ErrorCode.UserError);
        expect((failure as RemoteError).remoteName).toBe('RangeError');
        expect((failure as RemoteError).message).toContain('deliberate failure');
        expect((failure as RemoteError).nodeName).toBe('Grayscale');
        expect((failure as RemoteError).remoteStack).toContain('gray.js');
        // A user error leaves the instance usable, state intact.
        expect(await node.call('count')).toBe('cam:5');
      } finally {
        session.close();
      }
    }, 30_000);
  }
});
