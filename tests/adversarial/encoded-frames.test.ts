import { describe, expect, it } from 'vitest';
import {
  connect,
  ErrorCode,
  RemoteMediaError,
  type EncodedVideoFrameData,
  type RemoteSession,
  type VideoFrameData,
} from '@remotemedia/browser-sdk/node';
import { encodeJpeg } from '@remotemedia/edge-server/media';
import { deploySource } from '../support/deploySource.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { cameraPattern } from '../support/testPattern.ts';

// Counts frames in instance state, so a test can see the sandbox survived (same instance, state kept).
const COUNTER = `
export class Counter {
  constructor() { this.seen = 0; }
  process(frame) { this.seen++; return frame; }
  count() { return this.seen; }
}
`;

async function jpegOf(width: number, height: number): Promise<Uint8Array> {
  return encodeJpeg(cameraPattern(width, height, 5).data, width, height, 4, 0.8);
}

function encoded(data: Uint8Array, width: number, height: number): EncodedVideoFrameData {
  return { kind: 'encoded-video', codec: 'jpeg', width, height, format: 'rgba', timestamp: 1, data };
}

/** Segments of a JPEG up to its scan, rebuilt without those whose marker is `drop`. */
function withoutSegments(jpeg: Uint8Array, drop: number): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  for (let i = 2; i + 4 <= jpeg.length; ) {
    const marker = jpeg[i + 1]!;
    const length = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    if (marker === 0xda) {
      out.push(...jpeg.subarray(i));
      break;
    }
    if (marker !== drop) out.push(...jpeg.subarray(i, i + 2 + length));
    i += 2 + length;
  }
  return Uint8Array.from(out);
}

/** The JPEG with its SOF's declared size replaced. */
function withDeclaredSize(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const out = jpeg.slice();
  for (let i = 2; i + 9 <= out.length; ) {
    const marker = out[i + 1]!;
    const length = (out[i + 2]! << 8) | out[i + 3]!;
    if (marker === 0xc0 || marker === 0xc2) {
      out[i + 5] = height >> 8;
      out[i + 6] = height & 255;
      out[i + 7] = width >> 8;
      out[i + 8] = width & 255;
      return out;
    }
    i += 2 + length;
  }
  throw new Error('no SOF0/SOF2 in the test JPEG');
}

async function failure(session: RemoteSession, node: { process(item: unknown): Promise<unknown> }, item: unknown): Promise<RemoteMediaError> {
  const error = await node.process(item).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the frame should have failed').toBeInstanceOf(RemoteMediaError);
  expect(session.closed).toBe(false);
  return error as RemoteMediaError;
}

describe('hostile compressed frames: a typed error for that frame, nothing else disturbed', () => {
  const edge = useEdge();

  it('refuses corrupt, lying and oversized JPEGs per frame, before decoding them; the node, the session and a bystander keep working', async () => {
    const attacker = await connect(edge.url, { transport: 'websocket', reconnect: false, video: { encoding: { codec: 'raw' } } });
    const bystander = await connect(edge.url, { transport: 'websocket', reconnect: false, video: { encoding: { codec: 'jpeg', quality: 0.8 } } });
    try {
      const sandboxed = await deploySource(attacker, COUNTER);
      const builtin = await attacker.node('Grayscale');
      const victim = await bystander.node('Grayscale');
      const real = await jpegOf(64, 48);

      for (const node of [sandboxed, builtin]) {
        // A JPEG without its quantization tables: the decoder itself gives up.
        const corrupt = await failure(attacker, node, encoded(withoutSegments(real, 0xdb), 64, 48));
        expect(corrupt.code).toBe(ErrorCode.FrameDecodeFailed);
        expect(corrupt.message).toMatch(/could not be decoded: .*(Quantization table|not defined)/i);

        // The frame says 640x480, the JPEG is 64x48: refused, whatever the decoder would have made of it.
        const lyingFrame = await failure(attacker, node, encoded(real, 640, 480));
        expect(lyingFrame.code).toBe(ErrorCode.FrameDecodeFailed);
        expect(lyingFrame.message).toContain('the JPEG declares 64x48 but the frame says 640x480');

        // A small frame whose JPEG header claims 30000x30000: refused before the decoder allocates ~3.6 GB.
        const lyingHeader = await failure(attacker, node, encoded(withDeclaredSize(real, 30000, 30000), 64, 48));
        expect(lyingHeader.code).toBe(ErrorCode.FrameDecodeFailed);
        expect(lyingHeader.message).toContain('the JPEG declares 30000x30000 but the frame says 64x48');

        // A frame that would decode past the frame limit: refused at the door, on the edge's main thread.
        const oversized = await failure(attacker, node, encoded(real, 30000, 30000));
        expect(oversized.code).toBe(ErrorCode.FrameTooLarge);
        expect(oversized.message).toContain('30000x30000');

        // Not a JPEG at all.
        const notJpeg = await failure(attacker, node, encoded(Uint8Array.from([1, 2, 3, 4, 5, 6]), 64, 48));
        expect(notJpeg.code).toBe(ErrorCode.MalformedMessage);
        expect(notJpeg.message).toContain('a JPEG');

        // No header at all before the scan: refused without running the decoder.
        const headless = await failure(attacker, node, encoded(withoutSegments(real, 0xc0), 64, 48));
        expect(headless.code).toBe(ErrorCode.FrameDecodeFailed);
        expect(headless.message).toContain('no readable frame header');

        // The same node still takes a good frame.
        const [out] = (await node.process(encoded(real, 64, 48))) as Iterable<VideoFrameData>;
        expect(out).toMatchObject({ kind: 'video', format: 'rgba', width: 64, height: 48 });
      }
      // Only the good frame reached the sandboxed instance, which is the same one (state kept).
      expect(await sandboxed.call('count')).toBe(1);

      // The other session's frames went through all along.
      const [victimOut] = (await victim.process(cameraPattern(320, 240, 2))) as Iterable<VideoFrameData>;
      expect(victimOut).toMatchObject({ kind: 'video', format: 'rgba', width: 320, height: 240 });
      expect(bystander.stats().video.decoded).toBe(1);
      expect(attacker.stats().framesFailed).toBe(12);
    } finally {
      attacker.close();
      bystander.close();
    }
  }, 60_000);
});
