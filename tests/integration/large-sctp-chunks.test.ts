import { describe, expect, it } from 'vitest';
import { connect, createVideoFrame, packSources, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import {
  DEFAULT_SCTP_CHUNK_BYTES,
  MAX_SCTP_CHUNK_BYTES,
  PROTOCOL_VERSION,
  SCTP_CHUNKS_VERSION,
  parseClientMessage,
  parseEdgeMessage,
} from '@remotemedia/shared';
import { useEdge } from '../support/edgeProcess.ts';
import { peersAnswered } from '../support/peersAnswered.ts';
import { rawPeer } from '../support/rawPeer.ts';

const INVERT = `export class Invert { process(frame) { const d = frame.data; for (let i = 0; i < d.length; i++) d[i] = 255 - d[i]; return frame; } }`;

function i420Frame(seed: number): VideoFrameData {
  const frame = createVideoFrame({ width: 320, height: 240, format: 'i420', timestamp: seed });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + seed) & 255;
  return frame;
}

// Between the Node SDK and the edge (both werift) the data channel carries SCTP DATA chunks of up to
// MAX_SCTP_CHUNK_BYTES, agreed in signaling; `auto` video then goes raw. Browsers never offer them (the
// Chromium data-channel test checks the edge answered it with standard chunks).
describe('large SCTP chunks between the Node SDK and the edge', () => {
  const edge = useEdge();

  it('are agreed for a Node SDK client, and `auto` video then goes raw and lossless', async () => {
    const before = await peersAnswered(edge.url);
    const session = await connect(edge.url, { transport: 'datachannel', reconnect: false });
    try {
      expect(session.transport).toBe('datachannel');
      expect(session.stats().sctpChunkBytes).toBe(MAX_SCTP_CHUNK_BYTES);
      expect(await peersAnswered(edge.url)).toEqual({ standard: before.standard, large: before.large + 1 });
      const node = await session.deploy(await packSources({ sources: { 'invert.js': INVERT }, entry: 'invert.js', exportName: 'Invert' }));
      for (let seed = 0; seed < 3; seed++) {
        const input = i420Frame(seed);
        const expected = input.data.map((v) => 255 - v);
        const [output] = (await node.process(input)) as Iterable<VideoFrameData>;
        // Byte-exact: no JPEG on the way.
        expect(Buffer.from(output!.data).equals(Buffer.from(expected))).toBe(true);
      }
      const video = session.stats().video;
      expect(video.encoding).toEqual({ codec: 'raw' });
      expect([video.encoded, video.decoded]).toEqual([0, 0]);
    } finally {
      session.close();
    }
  }, 60_000);

  it('leave an explicit JPEG encoding in force', async () => {
    const session = await connect(edge.url, { transport: 'datachannel', reconnect: false, video: { encoding: { codec: 'jpeg', quality: 0.8 } } });
    try {
      expect(session.stats().sctpChunkBytes).toBe(MAX_SCTP_CHUNK_BYTES);
      const node = await session.deploy(await packSources({ sources: { 'invert.js': INVERT }, entry: 'invert.js', exportName: 'Invert' }));
      const [output] = (await node.process(i420Frame(1))) as Iterable<VideoFrameData>;
      expect([output!.width, output!.height]).toEqual([320, 240]);
      expect(session.stats().video).toMatchObject({ encoding: { codec: 'jpeg' }, encoded: 1, decoded: 1 });
    } finally {
      session.close();
    }
  }, 60_000);

  it('are not used for an offer without them, nor for one of a version the edge does not know', async () => {
    for (const fields of [{}, { sctpChunks: { version: 2, maxBytes: 8_000 } }] as const) {
      const before = await peersAnswered(edge.url);
      const peer = await rawPeer(edge.url, [], fields as never);
      try {
        expect(peer.answerMessage.sctpChunks).toBeUndefined();
        await peer.connect(20_000);
        expect((peer.peer.sctpTransport as unknown as { sctp: { userDataMaxLength: number } }).sctp.userDataMaxLength).toBe(DEFAULT_SCTP_CHUNK_BYTES);
        expect(await peersAnswered(edge.url)).toEqual({ standard: before.standard + 1, large: before.large });
      } finally {
        await peer.close();
      }
    }
  }, 60_000);

  it('answer an offer of a smaller size with that size', async () => {
    const peer = await rawPeer(edge.url, [], { sctpChunks: { version: SCTP_CHUNKS_VERSION, maxBytes: 4_000 } });
    try {
      expect(peer.answerMessage.sctpChunks).toEqual({ version: SCTP_CHUNKS_VERSION, maxBytes: 4_000 });
    } finally {
      await peer.close();
    }
  }, 60_000);

  it('validates the field: a positive version and a size from 1,200 to 16,356 bytes', () => {
    const v = PROTOCOL_VERSION;
    const offer = { v, type: 'offer', sdp: 'v=0' };
    expect(parseClientMessage({ ...offer, sctpChunks: { version: 1, maxBytes: MAX_SCTP_CHUNK_BYTES } })).toMatchObject({
      sctpChunks: { maxBytes: 16_356 },
    });
    expect(parseEdgeMessage({ v, type: 'answer', sdp: 'v=0', sctpChunks: { version: 1, maxBytes: 1_200 } })).toBeTruthy();
    const malformed = (message: unknown, text: string): void => {
      expect(() => parseClientMessage(message)).toThrow(expect.objectContaining({ code: 'MALFORMED_MESSAGE' }));
      expect(() => parseClientMessage(message)).toThrow(text);
    };
    malformed(
      { ...offer, sctpChunks: { version: 1, maxBytes: 16_357 } },
      'offer message.sctpChunks.maxBytes must be an integer from 1200 to 16356 (bytes), got 16357',
    );
    malformed({ ...offer, sctpChunks: { version: 1, maxBytes: 1_199 } }, 'offer message.sctpChunks.maxBytes must be an integer from 1200 to 16356');
    malformed({ ...offer, sctpChunks: { version: 0, maxBytes: 4_000 } }, 'offer message.sctpChunks.version must be a positive integer, got 0');
    malformed({ ...offer, sctpChunks: 'large' }, 'offer message.sctpChunks must be an object');
    expect(() => parseEdgeMessage({ v, type: 'answer', sdp: 'v=0', sctpChunks: { version: 1, maxBytes: 70_000 } })).toThrow(
      'answer message.sctpChunks.maxBytes must be an integer from 1200 to 16356',
    );
  });
});
