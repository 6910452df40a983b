import { describe, expect, it } from 'vitest';
import { connect, packSources, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { createNode } from '@remotemedia/shared/nodes';
import { useEdge } from '../support/edgeProcess.ts';
import { INVERT_SOURCE, i420Frame, inverted } from '../support/i420Frames.ts';

// Frames now move into the sandbox and built-in workers (transfer list) instead of being copied: every byte
// must still arrive, and nothing on the edge's main thread may read a frame after it was moved. Raw video, since
// the bytes are compared exactly (JPEG, the data channel's default, is lossy).
describe('frames moved into node workers', () => {
  const edge = useEdge();

  for (const transport of ['websocket', 'datachannel'] as const) {
    it(`a sandboxed and a built-in node get every byte of multi-chunk frames over the ${transport}`, async () => {
      const session = await connect(edge.url, { transport, reconnect: false, video: { encoding: { codec: 'raw' } } });
      try {
        const invert = await session.deploy(await packSources({ sources: { 'invert.js': INVERT_SOURCE }, entry: 'invert.js', exportName: 'Invert' }));
        const flip = await session.node('Flip', { direction: 'both' });
        const localFlip = createNode('Flip', { direction: 'both' });
        for (let seed = 0; seed < 6; seed++) {
          const frame = i420Frame(seed);
          const expected = inverted(frame);
          const flipped = Buffer.from((localFlip.process!({ ...frame, data: new Uint8Array(frame.data) }) as VideoFrameData).data);
          const [viaSandbox] = (await invert.process({ ...frame, data: new Uint8Array(frame.data) })) as Iterable<VideoFrameData>;
          const [viaBuiltin] = (await flip.process({ ...frame, data: new Uint8Array(frame.data) })) as Iterable<VideoFrameData>;
          // Buffer.equals: a byte-exact comparison that stays fast at 115 KB per frame.
          expect(Buffer.from(viaSandbox!.data).equals(expected)).toBe(true);
          expect(Buffer.from(viaBuiltin!.data).equals(flipped)).toBe(true);
        }
        expect(session.stats().framesDroppedByEdge).toBe(0);
      } finally {
        session.close();
      }
    }, 60_000);
  }
});
