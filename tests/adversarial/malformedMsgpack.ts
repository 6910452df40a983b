import { Packr } from 'msgpackr';
import { ErrorCode } from '@remotemedia/shared/errors';
import type { ProtocolLimits } from '@remotemedia/shared/protocol';

/**
 * Hostile msgpack inputs, built from bytes (or from msgpackr's own encoders for features we refuse), each
 * with the error decodeMessage must raise. Shared so server-level tests can replay them over a connection.
 */
export interface MalformedMsgpackFixture {
  name: string;
  bytes: Uint8Array;
  code: ErrorCode;
  /** What the error message must say, so a person can tell what was wrong. */
  message: RegExp;
  limits?: Partial<ProtocolLimits>;
}

const moreTypes = new Packr({ moreTypes: true, useRecords: false });

function bytesOf(packed: Uint8Array): Uint8Array {
  return new Uint8Array(packed);
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : Uint8Array.from(part)));
  const out = new Uint8Array(arrays.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of arrays) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** msgpackr #200: ~24,000 nested array16 headers (72 KB) took the process down with a fatal OOM. */
function nestedArray16(depth: number): Uint8Array {
  const out = new Uint8Array(depth * 3 + 1);
  for (let i = 0; i < depth; i++) out.set([0xdc, 0x00, 0x01], i * 3);
  out[depth * 3] = 0xc0;
  return out;
}

const frameLike = bytesOf(moreTypes.pack({ type: 'frame', seq: 7, data: new Uint8Array(40).fill(9) }));

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;

export const MALFORMED_MSGPACK: readonly MalformedMsgpackFixture[] = [
  {
    name: 'empty input',
    bytes: new Uint8Array(0),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: empty input/,
  },
  {
    name: 'truncated message (last 5 bytes cut)',
    bytes: frameLike.subarray(0, frameLike.byteLength - 5),
    code: ErrorCode.MalformedMessage,
    message: /at byte \d+: .*truncated input/,
  },
  {
    name: 'truncated inside a uint16',
    bytes: Uint8Array.from([0x92, 0x01, 0xcd, 0x01]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 2: 16-bit integer needs 2 byte\(s\) of data but only 1 remain \(truncated input\)/,
  },
  {
    name: 'array header claiming 2^32-1 items (msgpackr #199 preallocation bomb)',
    bytes: Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: array declares 4294967295 items but only 0 byte\(s\) remain/,
  },
  {
    name: 'map header claiming 2^32-1 entries',
    bytes: Uint8Array.from([0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x61, 0x01]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: map declares 4294967295 entries but only 3 byte\(s\) remain/,
  },
  {
    name: 'nested arrays whose inner length outgrows what the outer left',
    bytes: Uint8Array.from([0x92, 0xdc, 0x00, 0x03, 0x01, 0x02, 0x03]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 1: array declares 3 items but only 3 byte\(s\) remain for them and 1 other pending value/,
  },
  {
    name: 'str32 claiming 4 GiB',
    bytes: Uint8Array.from([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: str 32 needs 4294967295 byte\(s\) of data but only 1 remain \(truncated input\)/,
  },
  {
    name: 'bin32 claiming 4 GiB',
    bytes: Uint8Array.from([0xc6, 0xff, 0xff, 0xff, 0xff, 0x00]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: bin 32 needs 4294967295 byte\(s\) of data but only 1 remain \(truncated input\)/,
  },
  {
    name: 'typed-array ext32 claiming 4 GiB',
    bytes: Uint8Array.from([0xc9, 0xff, 0xff, 0xff, 0xff, 0x74, 0x07, 0x00]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: extension 0x74 payload of 4294967295 byte\(s\) needs 4294967295 more byte\(s\) but only 2 remain/,
  },
  {
    name: '24,000 nested array16 headers (~72 KB, msgpackr #200)',
    bytes: nestedArray16(24_000),
    code: ErrorCode.MalformedMessage,
    message: /at byte 192: array nests deeper than maxDepth \(64\)/,
  },
  {
    name: '65 nested fixarrays with maxDepth 64',
    bytes: concat(new Array(65).fill(0x91), [0x01]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 64: array nests deeper than maxDepth \(64\)/,
  },
  {
    name: 'more elements than maxElements',
    bytes: concat([0xdc, 0x00, 0x0b], new Array(11).fill(0x00)),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: array brings the declared elements to 11, over maxElements \(10\)/,
    limits: { maxElements: 10 },
  },
  {
    name: 'Error extension (0x65)',
    bytes: bytesOf(moreTypes.pack({ err: new Error('boom') })),
    code: ErrorCode.MalformedMessage,
    message: /extension type 0x65 \(Error\) is not allowed/,
  },
  {
    name: 'RegExp extension (0x78)',
    bytes: bytesOf(moreTypes.pack([/a+$/])),
    code: ErrorCode.MalformedMessage,
    message: /at byte 1: extension type 0x78 \(RegExp\) is not allowed/,
  },
  {
    name: 'Set extension (0x73)',
    bytes: bytesOf(moreTypes.pack(new Set([1, 2]))),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: extension type 0x73 \(Set\) is not allowed/,
  },
  {
    name: 'timestamp extension (Date, -1)',
    bytes: bytesOf(moreTypes.pack(new Date(0))),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: extension type 0xff \(timestamp \(Date\)\) is not allowed/,
  },
  {
    name: 'record definitions (0x72)',
    bytes: bytesOf(new Packr({ useRecords: true }).pack([{ a: 1 }, { a: 2 }])),
    code: ErrorCode.MalformedMessage,
    message: /at byte 1: extension type 0x72 \(record definition\) is not allowed/,
  },
  {
    name: 'structured-clone references (0x69)',
    bytes: bytesOf(new Packr({ structuredClone: true, useRecords: false }).pack(cyclic)),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: extension type 0x69 \(structured-clone reference id\) is not allowed/,
  },
  {
    name: 'BigInt extension (0x42)',
    bytes: bytesOf(moreTypes.pack(2n ** 100n)),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: extension type 0x42 \(BigInt\) is not allowed/,
  },
  {
    name: 'ArrayBuffer under the typed-array extension (subtype 0x10)',
    bytes: bytesOf(moreTypes.pack(new ArrayBuffer(4))),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: typed array subtype 0x10 \(ArrayBuffer\) is not allowed/,
  },
  {
    name: 'unknown typed-array subtype',
    bytes: Uint8Array.from([0xc7, 0x02, 0x74, 0x20, 0x00]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: typed array subtype 0x20 is not allowed/,
  },
  {
    name: 'Float32Array of 5 bytes',
    bytes: Uint8Array.from([0xc7, 0x06, 0x74, 0x07, 0, 0, 0x80, 0x3f, 0]),
    code: ErrorCode.MalformedMessage,
    message: /Float32Array of 5 byte\(s\) is not a whole number of 4-byte elements/,
  },
  {
    name: 'undefined (ext 0) outside its fixext1 form',
    bytes: Uint8Array.from([0xc7, 0x01, 0x00, 0x00]),
    code: ErrorCode.MalformedMessage,
    message: /extension type 0x00 is not allowed/,
  },
  {
    name: 'trailing garbage after a complete message',
    bytes: concat(frameLike, [0xc0, 0xde, 0xad]),
    code: ErrorCode.MalformedMessage,
    message: new RegExp(`at byte ${frameLike.byteLength}: 3 trailing byte\\(s\\) after the end of the message`),
  },
  {
    name: 'reserved byte 0xc1',
    bytes: Uint8Array.from([0x91, 0xc1]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 1: byte 0xc1 is reserved/,
  },
  {
    name: 'array used as a map key',
    bytes: Uint8Array.from([0x81, 0x91, 0x01, 0x02]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 1: map key of type 0x91 is not allowed; keys must be strings or integers/,
  },
  {
    name: 'uint64 beyond 2^53-1',
    bytes: Uint8Array.from([0xcf, 0x00, 0x20, 0, 0, 0, 0, 0, 0x01]),
    code: ErrorCode.MalformedMessage,
    message: /at byte 0: 64-bit integer 9007199254740993 does not fit a JS number exactly/,
  },
  {
    name: 'input over maxMessageBytes',
    bytes: concat([0xc5, 0x07, 0xd0], new Uint8Array(2000)),
    code: ErrorCode.MessageTooLarge,
    message: /message of 2003 bytes exceeds maxMessageBytes \(1024\)/,
    limits: { maxMessageBytes: 1024 },
  },
];
