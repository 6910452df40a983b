import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '@remotemedia/shared/codec';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** Asserts class, length and the exact bytes, not just numeric equality. */
function expectSameTypedArray(actual: unknown, expected: TypedArray): void {
  expect(actual).toBeInstanceOf(expected.constructor);
  expect((actual as TypedArray).constructor).toBe(expected.constructor);
  expect((actual as TypedArray).length).toBe(expected.length);
  expect(Array.from(bytesOf(actual as TypedArray))).toEqual(Array.from(bytesOf(expected)));
}

function roundTrip(value: unknown): unknown {
  const encoded = encodeMessage(value);
  expect(encoded.constructor).toBe(Uint8Array);
  return decodeMessage(encoded);
}

function encodeError(value: unknown, limits?: Parameters<typeof encodeMessage>[1]): RemoteMediaError {
  try {
    encodeMessage(value, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    return error as RemoteMediaError;
  }
  throw new Error('encodeMessage accepted a value it should have rejected');
}

describe('encodeMessage / decodeMessage round trip', () => {
  it('keeps scalars exactly', () => {
    const scalars = [
      0,
      1,
      127,
      128,
      255,
      65_535,
      2 ** 32 - 1,
      2 ** 40,
      Number.MAX_SAFE_INTEGER,
      -1,
      -32,
      -33,
      -(2 ** 31),
      -(2 ** 40),
      1.5,
      -0.25,
      1e-300,
      3.141592653589793,
      Infinity,
      -Infinity,
      '',
      'a',
      'héllo wörld ✓ 🎥',
      'x'.repeat(70_000),
      null,
      true,
      false,
    ];
    for (const value of scalars) expect(roundTrip(value)).toBe(value);
    expect(Number.isNaN(roundTrip(Number.NaN))).toBe(true);
  });

  it('keeps nested objects and arrays, undefined values included', () => {
    const value = {
      type: 'configure',
      v: 1,
      nodes: [{ name: 'gray', params: { strength: 0.5, mode: 'luma', flags: [true, false, null] } }],
      empty: { obj: {}, arr: [] },
      missing: undefined,
      deep: [[[[['bottom']]]]],
    };
    const decoded = roundTrip(value) as typeof value;
    expect(decoded).toEqual(value);
    expect('missing' in decoded).toBe(true);
    expect(decoded.missing).toBeUndefined();
  });

  it('keeps every typed array class and its bytes', () => {
    const arrays: TypedArray[] = [
      Int8Array.from([-128, -1, 0, 1, 127]),
      Uint8Array.from([0, 1, 254, 255]),
      Uint8ClampedArray.from([0, 128, 255]),
      Int16Array.from([-32768, -2, 0, 3, 32767]),
      Uint16Array.from([0, 1, 65535]),
      Int32Array.from([-(2 ** 31), -1, 0, 2 ** 31 - 1]),
      Uint32Array.from([0, 1, 2 ** 32 - 1]),
      Float32Array.from([0, -0, 1.5, -2.25, Math.PI, Infinity, Number.NaN]),
      Float64Array.from([Math.E, -1e308, Number.MIN_VALUE, Number.NaN]),
      BigInt64Array.from([-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n]),
      BigUint64Array.from([0n, 2n ** 64n - 1n]),
      new Float32Array(0),
      new Uint8Array(0),
    ];
    const decoded = roundTrip({ arrays }) as { arrays: unknown[] };
    expect(decoded.arrays).toHaveLength(arrays.length);
    arrays.forEach((expected, i) => expectSameTypedArray(decoded.arrays[i], expected));
  });

  it('keeps subarray views at unaligned offsets, sending only the viewed bytes', () => {
    const backing = new ArrayBuffer(64);
    new Uint8Array(backing).forEach((_, i, all) => (all[i] = i));
    const floats = new Float32Array(backing, 12, 3);
    const bytes = new Uint8Array(backing, 3, 7);
    const shorts = new Int16Array(backing, 2, 5);
    const decoded = roundTrip({ floats, bytes, shorts }) as Record<string, unknown>;
    expectSameTypedArray(decoded.floats, floats);
    expectSameTypedArray(decoded.bytes, bytes);
    expectSameTypedArray(decoded.shorts, shorts);
    expect(Array.from(decoded.bytes as Uint8Array)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    // Typed arrays other than bytes get their own aligned buffer, so element access is valid.
    expect((decoded.floats as Float32Array).byteOffset % 4).toBe(0);
  });

  it('decodes from input that sits at an odd offset inside a larger buffer', () => {
    const encoded = encodeMessage({ f: Float64Array.from([1.25, -7]), u: Uint16Array.from([513]) });
    const host = new Uint8Array(encoded.byteLength + 3);
    host.set(encoded, 1);
    const decoded = decodeMessage(host.subarray(1, 1 + encoded.byteLength)) as Record<string, unknown>;
    expectSameTypedArray(decoded.f, Float64Array.from([1.25, -7]));
    expectSameTypedArray(decoded.u, Uint16Array.from([513]));
  });

  it('carries a 320x240 RGBA frame object byte for byte', () => {
    const width = 320;
    const height = 240;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >>> 8)) & 0xff;
    const frame = { type: 'frame', seq: 1234, timestamp: 1_722_000_000_123.5, width, height, format: 'RGBA', data };
    const encoded = encodeMessage(frame);
    expect(encoded.byteLength).toBeGreaterThan(307_200);
    expect(encoded.byteLength).toBeLessThan(307_200 + 128);
    const decoded = decodeMessage(encoded) as typeof frame;
    expect({ ...decoded, data: undefined }).toEqual({ ...frame, data: undefined });
    expect(decoded.data.constructor).toBe(Uint8Array);
    expect(decoded.data.byteLength).toBe(307_200);
    expect(Buffer.compare(decoded.data, data)).toBe(0);
  });

  it('decodes msgpack bin (what browsers send for Uint8Array) as a plain Uint8Array view without copying', () => {
    const bin = Uint8Array.from([0x81, 0xa1, 0x64, 0xc4, 0x03, 0x0a, 0x0b, 0x0c]);
    const fromBuffer = Buffer.from(bin);
    for (const input of [bin, fromBuffer]) {
      const decoded = decodeMessage(input) as { d: Uint8Array };
      expect(decoded.d.constructor).toBe(Uint8Array);
      expect(Array.from(decoded.d)).toEqual([10, 11, 12]);
      expect(decoded.d.buffer).toBe(input.buffer);
      expect(decoded.d.byteOffset).toBe(input.byteOffset + 5);
    }
    // The caller's array is left as it was (msgpackr caches a DataView on whatever it is given).
    expect(Object.keys(bin)).not.toContain('dataView');
    expect((bin as unknown as Record<string, unknown>).dataView).toBeUndefined();
  });

  it('decodes a Node Buffer sent as a value to a plain Uint8Array', () => {
    const decoded = roundTrip({ payload: Buffer.from([1, 2, 3]) }) as { payload: Uint8Array };
    expect(decoded.payload.constructor).toBe(Uint8Array);
    expect(Array.from(decoded.payload)).toEqual([1, 2, 3]);
  });

  it('turns a __proto__ key into __proto_ and leaves prototypes alone', () => {
    // { "__proto__": { "polluted": true } } written by hand: JS literals cannot make such a key.
    const bytes = Uint8Array.from([0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x81, 0xa8, ...new TextEncoder().encode('polluted'), 0xc3]);
    const decoded = decodeMessage(bytes) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded.__proto_).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts integer map keys from other encoders and returns them as string keys', () => {
    expect(decodeMessage(Uint8Array.from([0x82, 0x01, 0xa1, 0x61, 0xff, 0xa1, 0x62]))).toEqual({ '1': 'a', '-1': 'b' });
  });

  it('leaves earlier encoded bytes intact after later encodes', () => {
    const first = encodeMessage({ n: 1, s: 'first' });
    const snapshot = first.slice();
    for (let i = 0; i < 2000; i++) encodeMessage({ n: i, filler: 'y'.repeat(i % 300) });
    expect(Array.from(first)).toEqual(Array.from(snapshot));
    expect(decodeMessage(first)).toEqual({ n: 1, s: 'first' });
  });
});

describe('encodeMessage refuses what the receiver would reject', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a Date', { at: new Date(0) }, /0xff \(timestamp \(Date\)\) is not allowed/],
    ['a Set', new Set([1]), /0x73 \(Set\) is not allowed/],
    ['an Error', [new Error('x')], /0x65 \(Error\) is not allowed/],
    ['a RegExp', { re: /x/ }, /0x78 \(RegExp\) is not allowed/],
    ['an ArrayBuffer', { raw: new ArrayBuffer(8) }, /subtype 0x10 \(ArrayBuffer\) is not allowed/],
    ['a DataView', new DataView(new ArrayBuffer(8)), /subtype 0x11 \(DataView\) is not allowed/],
    ['a small BigInt', { id: 5n }, /64-bit integer 5 \(a BigInt\) is not supported/],
    ['a huge BigInt', 2n ** 80n, /0x42 \(BigInt\) is not allowed/],
  ];
  for (const [name, value, message] of cases) {
    it(`refuses ${name} as INVALID_INPUT`, () => {
      const error = encodeError(value);
      expect(error.code).toBe(ErrorCode.InvalidInput);
      expect(error.message).toMatch(/^Cannot encode this value, the receiver would reject it: Malformed msgpack at byte \d+: /);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/send plain data/);
    });
  }

  it('refuses a cycle as INVALID_INPUT and keeps working', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = encodeError(cyclic);
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.message).toMatch(/does it contain a cycle\?/);
    expect(decodeMessage(encodeMessage({ ok: [1, 2] }))).toEqual({ ok: [1, 2] });
  });

  it('refuses nesting deeper than maxDepth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 65; i++) deep = [deep];
    expect(encodeError(deep).message).toMatch(/nests deeper than maxDepth \(64\)/);
  });

  it('refuses output over maxMessageBytes as MESSAGE_TOO_LARGE', () => {
    const error = encodeError({ data: new Uint8Array(5000) }, { maxMessageBytes: 4096 });
    expect(error.code).toBe(ErrorCode.MessageTooLarge);
    expect(error.message).toMatch(/exceeds maxMessageBytes \(4096\)/);
  });
});
