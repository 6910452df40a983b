import { describe, expect, it } from 'vitest';
import { encodeJpeg } from '@remotemedia/edge-server/media';
import { ErrorCode, RemoteMediaError, hasJpegMagic, parseClientMessage, readJpegSize, validateItem } from '@remotemedia/shared';

const LIMITS = { maxFrameBytes: 640 * 480 * 4 };

function encodedItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'encoded-video',
    codec: 'jpeg',
    width: 64,
    height: 48,
    format: 'rgba',
    timestamp: 0,
    data: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]),
    ...overrides,
  };
}

function refusal(run: () => unknown): RemoteMediaError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    return error as RemoteMediaError;
  }
  throw new Error('expected a refusal');
}

describe('readJpegSize', () => {
  it('reads the size a real JPEG declares, without decoding it', async () => {
    const jpeg = await encodeJpeg(new Uint8Array(100 * 30 * 4).fill(90), 100, 30, 4, 0.8);
    expect(hasJpegMagic(jpeg)).toBe(true);
    expect(readJpegSize(jpeg)).toEqual({ width: 100, height: 30 });
  });

  it('gives undefined, never throws or loops, for streams without a readable frame header', () => {
    expect(readJpegSize(new Uint8Array(0))).toBeUndefined();
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0xff]))).toBeUndefined();
    // A segment length running past the end, a zero length, scan data before any SOF, a non-marker byte.
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 1, 2]))).toBeUndefined();
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 1, 2]))).toBeUndefined();
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 2, 3, 4, 5, 6]))).toBeUndefined();
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0x00, 0xc0, 0, 8, 8, 0, 1, 0, 1, 3]))).toBeUndefined();
    // A header that declares a zero size.
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 0, 0, 5, 1, 1, 0x11, 0]))).toBeUndefined();
    // Long runs of fill bytes end.
    expect(readJpegSize(Uint8Array.from([0xff, 0xd8, ...new Array(10_000).fill(0xff)]))).toBeUndefined();
  });
});

describe('encoded video frames at the protocol boundary', () => {
  it('accepts a JPEG frame and a frame message asking for JPEG outputs', () => {
    expect(validateItem(encodedItem(), 'item', LIMITS)).toMatchObject({ kind: 'encoded-video' });
    const message = parseClientMessage(
      { v: 1, type: 'frame', nodeId: 'n', seq: 1, item: encodedItem(), outputEncoding: { codec: 'jpeg', quality: 0.7 } },
      LIMITS,
    );
    expect(message).toMatchObject({ type: 'frame', outputEncoding: { codec: 'jpeg', quality: 0.7 } });
  });

  it('refuses, with the field named, what cannot be a JPEG frame, before anything decodes it', () => {
    expect(refusal(() => validateItem(encodedItem({ codec: 'h264' }), 'item', LIMITS)).message).toContain('item.codec must be "jpeg"');
    expect(refusal(() => validateItem(encodedItem({ width: 0 }), 'item', LIMITS)).code).toBe(ErrorCode.MalformedMessage);
    expect(refusal(() => validateItem(encodedItem({ width: -1 }), 'item', LIMITS)).code).toBe(ErrorCode.MalformedMessage);
    expect(refusal(() => validateItem(encodedItem({ format: 'nv12' }), 'item', LIMITS)).message).toContain('item.format');
    expect(refusal(() => validateItem(encodedItem({ data: [1, 2] }), 'item', LIMITS)).message).toContain('item.data must be bytes');
    const notJpeg = refusal(() => validateItem(encodedItem({ data: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]) }), 'item', LIMITS));
    expect(notJpeg.message).toContain('item.data must be a JPEG (starting FF D8 FF)');
    // Would decode past the frame limit, however few bytes it is.
    const huge = refusal(() => validateItem(encodedItem({ width: 30000, height: 30000 }), 'item', LIMITS));
    expect(huge.code).toBe(ErrorCode.FrameTooLarge);
    expect(huge.message).toContain('declares 30000x30000');
    const heavy = refusal(() => validateItem(encodedItem({ data: new Uint8Array(LIMITS.maxFrameBytes + 1).fill(0xff) }), 'item', LIMITS));
    expect(heavy.code).toBe(ErrorCode.FrameTooLarge);
    const badEncoding = refusal(() =>
      parseClientMessage({ v: 1, type: 'frame', nodeId: 'n', seq: 1, item: encodedItem(), outputEncoding: { codec: 'jpeg', quality: 7 } }, LIMITS),
    );
    expect(badEncoding.message).toContain('frame message.outputEncoding must be');
  });
});
