import { prng } from '../support/prng.ts';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '@remotemedia/shared/codec';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { MALFORMED_MSGPACK } from '../adversarial/malformedMsgpack.ts';

function decodeError(bytes: Uint8Array, limits?: Parameters<typeof decodeMessage>[1]): RemoteMediaError {
  try {
    decodeMessage(bytes, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    return error as RemoteMediaError;
  }
  throw new Error('decodeMessage accepted input it should have rejected');
}

describe('decodeMessage pre-scan', () => {
  for (const fixture of MALFORMED_MSGPACK) {
    it(`rejects ${fixture.name}`, () => {
      const error = decodeError(fixture.bytes, fixture.limits);
      expect(error.code).toBe(fixture.code);
      expect(error.message).toMatch(fixture.message);
    });
  }

  it('rejects 24,000 nested array headers (no recursion, no crash), and keeps decoding afterwards', () => {
    const nested = MALFORMED_MSGPACK.find((f) => f.name.startsWith('24,000 nested'))!;
    expect(nested.bytes.byteLength).toBe(72_001);
    expect(decodeError(nested.bytes).code).toBe(ErrorCode.MalformedMessage);
    expect(decodeMessage(encodeMessage({ still: 'fine' }))).toEqual({ still: 'fine' });
  });

  it('accepts nesting exactly at maxDepth', () => {
    const bytes = new Uint8Array(65);
    bytes.fill(0x91, 0, 64);
    bytes[64] = 0x2a;
    let value = decodeMessage(bytes);
    for (let depth = 0; depth < 64; depth++) {
      expect(Array.isArray(value)).toBe(true);
      value = (value as unknown[])[0];
    }
    expect(value).toBe(42);
  });

  it('honours a tighter maxDepth from the caller', () => {
    const bytes = Uint8Array.from([0x91, 0x91, 0x91, 0x01]);
    expect(decodeMessage(bytes, { maxDepth: 3 })).toEqual([[[1]]]);
    const error = decodeError(bytes, { maxDepth: 2 });
    expect(error.message).toBe('Malformed msgpack at byte 2: array nests deeper than maxDepth (2)');
  });

  it('counts map entries and array items together against maxElements', () => {
    const value = { a: [1, 2, 3], b: { c: 1, d: 2 } };
    // 2 root entries + 3 items + 2 entries = 7
    expect(decodeMessage(encodeMessage(value), { maxElements: 7 })).toEqual(value);
    expect(decodeError(encodeMessage(value), { maxElements: 6 }).message).toMatch(/over maxElements \(6\)/);
  });

  it('accepts a message exactly at maxMessageBytes and rejects one byte more', () => {
    const exact = encodeMessage(new Uint8Array(1000));
    expect(decodeMessage(exact, { maxMessageBytes: exact.byteLength })).toBeInstanceOf(Uint8Array);
    const error = decodeError(exact, { maxMessageBytes: exact.byteLength - 1 });
    expect(error.code).toBe(ErrorCode.MessageTooLarge);
  });

  it('reports every truncation point of a valid message as truncated input', () => {
    const whole = encodeMessage({ type: 'frame', seq: 3, pixels: new Float32Array([1, 2, 3]), tags: ['a', 'bb'] });
    for (let cut = 0; cut < whole.byteLength; cut++) {
      const error = decodeError(whole.subarray(0, cut));
      expect(error.code).toBe(ErrorCode.MalformedMessage);
      expect(error.message).toMatch(cut === 0 ? /empty input/ : /truncated input/);
    }
  });

  it('accepts 64-bit integers from other encoders only when they fit a number exactly', () => {
    const uint64 = (hi: number, lo: number) => Uint8Array.from([0xcf, ...be32(hi), ...be32(lo)]);
    const int64 = (hi: number, lo: number) => Uint8Array.from([0xd3, ...be32(hi), ...be32(lo)]);
    expect(decodeMessage(uint64(0, 5))).toBe(5);
    expect(decodeMessage(uint64(0x1fffff, 0xffffffff))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeMessage(int64(0xffffffff, 0xffffffff))).toBe(-1);
    expect(decodeMessage(int64(0xffe00000, 0x00000001))).toBe(Number.MIN_SAFE_INTEGER);
    expect(typeof decodeMessage(uint64(1, 0))).toBe('number');
    expect(decodeError(uint64(0x200000, 0)).message).toMatch(/9007199254740992 does not fit a JS number exactly/);
    expect(decodeError(int64(0xffe00000, 0)).message).toMatch(/-9007199254740992 does not fit/);
  });

  it('refuses non-Uint8Array input with a MALFORMED_MESSAGE error', () => {
    for (const input of [null, undefined, 'hello', 42, new ArrayBuffer(4), [0x01], new Uint16Array(2)]) {
      const error = decodeError(input as unknown as Uint8Array);
      expect(error.code).toBe(ErrorCode.MalformedMessage);
      expect(error.message).toMatch(/decodeMessage expects a Uint8Array, got /);
    }
  });

  it('refuses limits that would switch a limit off', () => {
    const bytes = encodeMessage(1);
    for (const limits of [{ maxDepth: 0 }, { maxDepth: 5000 }, { maxElements: -1 }, { maxMessageBytes: Number.NaN }]) {
      const error = decodeError(bytes, limits);
      expect(error.code).toBe(ErrorCode.InvalidConfig);
    }
  });

  it('fuzz: mutated messages either decode or fail with a typed error, never anything else', () => {
    const random = prng(0xc0ffee);
    const seeds = [
      encodeMessage({ type: 'frame', w: 320, h: 240, data: new Uint8Array(64).fill(7), f: new Float32Array(8) }),
      encodeMessage([1, -1, 1.5, 'text', null, true, { nested: [[[]]] }, new Int16Array([1, -2, 3])]),
      new Uint8Array(new Packr({ moreTypes: true }).pack({ err: new Error('x'), set: new Set([1]) })),
    ];
    let decoded = 0;
    let rejected = 0;
    for (let round = 0; round < 3000; round++) {
      const seed = seeds[round % seeds.length]!;
      const bytes = seed.slice();
      const mutations = 1 + Math.floor(random() * 4);
      for (let m = 0; m < mutations; m++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const cut = random() < 0.2 ? Math.floor(random() * bytes.length) : bytes.length;
      try {
        decodeMessage(bytes.subarray(0, cut));
        decoded++;
      } catch (error) {
        expect(error).toBeInstanceOf(RemoteMediaError);
        expect([ErrorCode.MalformedMessage, ErrorCode.MessageTooLarge]).toContain((error as RemoteMediaError).code);
        rejected++;
      }
    }
    expect(decoded + rejected).toBe(3000);
    expect(rejected).toBeGreaterThan(0);
    expect(decoded).toBeGreaterThan(0);
  });
});

function be32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}
