import { describe, expect, it } from 'vitest';
import { connect, convertPixelFormat, createVideoFrame, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';

/** The demo's "Invert" shape: an RGBA pixel loop, declared for RGBA. */
const INVERT = `export class Invert {
  static acceptedFormats = ['rgba'];
  process(frame) {
    const d = frame.data;
    for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    return frame;
  }
}`;

function gradient(): VideoFrameData {
  const data = new Uint8Array(8 * 6 * 4);
  for (let p = 0; p < 48; p++) data.set([p * 5, 255 - p * 5, (p * 37) % 256, 255], p * 4);
  return createVideoFrame({ width: 8, height: 6, format: 'rgba', data });
}

describe('format negotiation on a real edge: a node declared for rgba never receives i420 or gray', () => {
  const edge = useEdge();

  it.each(['websocket', 'datachannel'] as const)(
    'over the %s: each format comes back inverted, as RGBA',
    async (transport) => {
      const session = await connect(edge.url, { transport, reconnect: false });
      try {
        const node = await deploySource(session, INVERT);
        for (const format of ['rgba', 'i420', 'gray'] as const) {
          const sent = convertPixelFormat(gradient(), format, 'limited');
          const [out] = [...(await node.process(sent))] as VideoFrameData[];
          // What the edge's worker gave the node: the sent frame as RGBA; what came back: its inverse, still RGBA.
          const seen = convertPixelFormat(sent, 'rgba', 'limited');
          expect(out!.format).toBe('rgba');
          expect(out!.width).toBe(8);
          for (let i = 0; i < seen.data.length; i++) expect(out!.data[i]).toBe(i % 4 === 3 ? seen.data[i] : 255 - seen.data[i]!);
        }
        expect(session.stats().framesFailed).toBe(0);
      } finally {
        session.close();
      }
    },
    60_000,
  );
});
