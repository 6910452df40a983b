import { describe, expect, it } from 'vitest';
import { connect, jpegEncoding, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { createNode } from '@remotemedia/shared';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { standardChunks } from '../support/standardChunksPeerLink.ts';
import { cameraPattern, pixelError } from '../support/testPattern.ts';

// Inverts colour and leaves alpha: a user node that touches every pixel, in the sandbox.
const INVERT = `
export class Invert {
  process(frame) {
    const d = frame.data;
    if (frame.format !== 'rgba') throw new TypeError('Invert wants rgba, got ' + frame.format);
    for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    return frame;
  }
}
`;

function inverted(frame: VideoFrameData): Uint8Array {
  const out = frame.data.slice();
  for (let i = 0; i < out.length; i += 4) {
    out[i] = 255 - out[i]!;
    out[i + 1] = 255 - out[i + 1]!;
    out[i + 2] = 255 - out[i + 2]!;
  }
  return out;
}

function grayscaled(frame: VideoFrameData): Uint8Array {
  return (createNode('Grayscale').process!(frame) as VideoFrameData).data;
}

// JPEG at quality 0.8 twice (there and back), measured on this pattern: mean error 1.9 levels, 99% of bytes within 20.
const MEAN_TOLERANCE = 4;
const P99_TOLERANCE = 32;

function expectWithinJpegTolerance(actual: Uint8Array, expected: Uint8Array): void {
  const error = pixelError(actual, expected);
  expect(error.mean).toBeLessThan(MEAN_TOLERANCE);
  expect(error.p99).toBeLessThan(P99_TOLERANCE);
}

describe('JPEG frames on the wire (Node SDK against a real edge process)', () => {
  const edge = useEdge();

  for (const transport of ['datachannel', 'websocket'] as const) {
    it(`sends JPEG over the ${transport}; a built-in and a sandboxed node see raw pixels, the app gets raw pixels back`, async () => {
      const session = await connect(edge.url, { transport, video: { encoding: jpegEncoding(0.8), adapt: false } });
      try {
        expect(session.transport).toBe(transport);
        const invert = await deploySource(session, INVERT);
        const gray = await session.node('Grayscale');
        for (let seed = 1; seed <= 3; seed++) {
          const input = cameraPattern(320, 240, seed);
          const [invertedOut] = (await invert.process(input)) as Iterable<VideoFrameData>;
          expect(invertedOut).toMatchObject({ kind: 'video', format: 'rgba', width: 320, height: 240, timestamp: seed });
          expectWithinJpegTolerance(invertedOut.data, inverted(input));

          const [grayOut] = (await gray.process(input)) as Iterable<VideoFrameData>;
          expect(grayOut).toMatchObject({ kind: 'video', format: 'rgba', width: 320, height: 240 });
          expectWithinJpegTolerance(grayOut.data, grayscaled(input));
        }
        const stats = session.stats();
        expect(stats.video.encoding).toEqual({ codec: 'jpeg', quality: 0.8 });
        expect(stats.video.codecUnavailable).toBeUndefined();
        expect(stats.video.encoded).toBe(6);
        expect(stats.video.decoded).toBe(6);
        expect(stats.framesReceived).toBe(6);
      } finally {
        session.close();
      }
    }, 60_000);
  }

  it('keeps the pixel format the app sent: an i420 frame comes back i420 through a built-in', async () => {
    const session = await connect(edge.url, { transport: 'websocket', video: { encoding: jpegEncoding(0.9), adapt: false } });
    try {
      const gray = await session.node('Grayscale');
      const input = cameraPattern(320, 240, 7, 'i420');
      const [output] = (await gray.process(input)) as Iterable<VideoFrameData>;
      expect(output).toMatchObject({ kind: 'video', format: 'i420', width: 320, height: 240 });
      expectWithinJpegTolerance(output.data, grayscaled(input));
    } finally {
      session.close();
    }
  }, 30_000);

  it('defaults to JPEG over a data channel of standard SCTP chunks, raw (lossless) over large chunks and over the WebSocket', async () => {
    for (const [transport, chunks, codec] of [
      ['datachannel', 'standard', 'jpeg'],
      ['datachannel', 'large', 'raw'],
      ['websocket', 'large', 'raw'],
    ] as const) {
      const session = await connect(edge.url, {
        transport,
        ...(chunks === 'standard' ? { peerLink: standardChunks } : {}),
      });
      try {
        const invert = await deploySource(session, INVERT);
        const input = cameraPattern(320, 240, 3);
        const [output] = (await invert.process(input)) as Iterable<VideoFrameData>;
        expect(session.stats().video.encoding.codec).toBe(codec);
        if (codec === 'raw') expect(output.data).toEqual(inverted(input));
        else expectWithinJpegTolerance(output.data, inverted(input));
      } finally {
        session.close();
      }
    }
  }, 60_000);
  it('falls back to raw (lossless) frames, saying why, when the runtime has no codec', async () => {
    const session = await connect(edge.url, {
      transport: 'datachannel',
      // Standard chunks, where `auto` wants JPEG: the fallback to raw is then the codec's absence.
      peerLink: standardChunks,
      videoCodec: () => Promise.reject(new Error('no JPEG codec in this runtime (test)')),
    });
    try {
      const invert = await deploySource(session, INVERT);
      const input = cameraPattern(320, 240, 9);
      const [output] = (await invert.process(input)) as Iterable<VideoFrameData>;
      expect(output.data).toEqual(inverted(input));
      const { video } = session.stats();
      expect(video.encoding).toEqual({ codec: 'raw' });
      expect(video.codecUnavailable).toBe('no JPEG codec in this runtime (test)');
      expect(video.encoded).toBe(0);
    } finally {
      session.close();
    }
  }, 60_000);
});
