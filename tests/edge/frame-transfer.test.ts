import { describe, expect, it } from 'vitest';
import { connect, createVideoFrame, packSources, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { createNode } from '@remotemedia/shared/nodes';
import { useEdge } from '../support/edgeProcess.ts';

// Frames now move into the sandbox and built-in workers (transfer list) instead of being copied: every byte
// must still arrive, and nothing on the edge's main thread may read a frame after it was moved.
const INVERT = `export class Invert { process(frame) { const d = frame.data; for (let i = 0; i < d.length; i++) d[i] = 255 - d[i]; return frame; } }`;

function i420(seed: number): VideoFrameData {
  const frame = createVideoFrame({ width: 320, height: 240, format: 'i420', timestamp: seed });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + seed * 7) & 255;
  return frame;
}

describe('frames moved into node workers', () => {
  const edge = useEdge();

  for (const transport of ['websocket', 'datachannel'] as const) {
    it(`a sandboxed and a built-in node get every byte of multi-chunk frames over the ${transport}`, async () => {
      const session = await connect(edge.url, { transport, reconnect: false });
      try {
        const invert = await session.deploy(await packSources({ sources: { 'invert.js': INVERT }, entry: 'invert.js', exportName: 'Invert' }));
        const flip = await session.node('Flip', { direction: 'both' });
        const localFlip = createNode('Flip', { direction: 'both' });
        for (let seed = 0; seed < 6; seed++) {
          const frame = i420(seed);
          const inverted = Buffer.from(frame.data.map((byte) => 255 - byte));
          const flipped = Buffer.from((localFlip.process!({ ...frame, data: new Uint8Array(frame.data) }) as VideoFrameData).data);
          const [viaSandbox] = (await invert.process({ ...frame, data: new Uint8Array(frame.data) })) as Iterable<VideoFrameData>;
          const [viaBuiltin] = (await flip.process({ ...frame, data: new Uint8Array(frame.data) })) as Iterable<VideoFrameData>;
          // Buffer.equals: a byte-exact comparison that stays fast at 115 KB per frame.
          expect(Buffer.from(viaSandbox!.data).equals(inverted)).toBe(true);
          expect(Buffer.from(viaBuiltin!.data).equals(flipped)).toBe(true);
        }
        expect(session.stats().framesDroppedByEdge).toBe(0);
      } finally {
        session.close();
      }
    }, 60_000);
  }
});
