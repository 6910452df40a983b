import { Packr } from 'msgpackr';
import { CHUNK_HEADER_BYTES, MessageIdSequence, PROTOCOL_VERSION, splitMessage } from '@remotemedia/shared';
import { MALFORMED_MSGPACK } from './malformedMsgpack.ts';

/**
 * Seeded generators of hostile protocol traffic below the WebSocket frame layer: each case is one or more
 * transport messages (chunks) as a client could send them on the WebSocket or the data channel.
 */
export interface FuzzCase {
  kind: FuzzKind;
  chunks: Uint8Array[];
}

export type FuzzKind =
  | 'wrong-field-type'
  | 'wrong-version'
  | 'unknown-type'
  | 'msgpack-bomb'
  | 'lying-typed-array'
  | 'bad-chunk-header'
  | 'interleaved-chunks'
  | 'random-bytes'
  | 'valid';

export const FUZZ_KINDS: readonly FuzzKind[] = [
  'wrong-field-type',
  'wrong-version',
  'unknown-type',
  'msgpack-bomb',
  'lying-typed-array',
  'bad-chunk-header',
  'interleaved-chunks',
  'random-bytes',
  'valid',
];

type Rng = () => number;

const packr = new Packr({ moreTypes: true, useRecords: false, structuredClone: false });

/** One of every client message, well formed; the fuzzer breaks one thing at a time. */
const TEMPLATES: ReadonlyArray<Record<string, unknown>> = [
  { type: 'hello', sdkVersion: 'fuzz' },
  { type: 'offer', sdp: 'v=0\r\n' },
  { type: 'deploy', id: 1, nodeId: 'fz', packageId: 'p'.repeat(64) },
  { type: 'create', id: 2, nodeId: 'fz', name: 'Gain', config: { gainDb: 1 } },
  { type: 'flush', id: 3, nodeId: 'fz' },
  { type: 'list-nodes', id: 4 },
  { type: 'snapshot', id: 5, nodeId: 'fz' },
  { type: 'save', id: 6, nodeId: 'fz' },
  { type: 'frame', nodeId: 'fz', seq: 1, item: { kind: 'video', width: 2, height: 2, format: 'rgba', timestamp: 0, data: new Uint8Array(16) } },
  { type: 'frame', nodeId: 'fz', seq: 2, item: { kind: 'audio', sampleRate: 48000, channels: 2, timestamp: 0, samples: new Float32Array(8) } },
  { type: 'call', id: 7, nodeId: 'fz', method: 'get', args: [] },
  { type: 'dispose', id: 8, nodeId: 'fz' },
  { type: 'ping', id: 9, t: 0 },
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const int = (rng: Rng, below: number): number => Math.floor(rng() * below);

function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = int(rng, 256);
  return out;
}

/** A value of a random, usually wrong, type (bounded in size). */
function wrongValue(rng: Rng): unknown {
  switch (int(rng, 14)) {
    case 0:
      return null;
    case 1:
      return -1;
    case 2:
      return 2 ** 53 + 2;
    case 3:
      return 1.5;
    case 4:
      return Number.NaN;
    case 5:
      return 'x'.repeat(int(rng, 4000));
    case 6:
      return [1, 'two', [3]];
    case 7:
      return { nested: { deeper: [{}] } };
    case 8:
      return true;
    case 9:
      return new Uint8Array(int(rng, 64));
    case 10:
      return new Float64Array(3);
    case 11:
      return Array.from({ length: int(rng, 2000) }, (_, i) => i);
    case 12:
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "toString": "y"}') as unknown;
    default:
      return undefined;
  }
}

function payloadOf(message: Record<string, unknown>): Uint8Array {
  return new Uint8Array(packr.pack(message));
}

/** msgpack map whose `item` value is written by hand, so it can lie about its own length. */
function frameWithRawItem(item: Uint8Array): Uint8Array {
  const head = packr.pack({ v: PROTOCOL_VERSION, type: 'frame', nodeId: 'fz', seq: 1 });
  // Turn the 4-entry fixmap into a 5-entry one and append `item` + the raw value.
  const out = new Uint8Array(head.byteLength + 5 + item.byteLength);
  out.set(head);
  out[0] = 0x85;
  out.set([0xa4, 0x69, 0x74, 0x65, 0x6d], head.byteLength);
  out.set(item, head.byteLength + 5);
  return out;
}

/** A typed-array extension (0x74) whose declared size, subtype and actual bytes disagree. */
function lyingTypedArray(rng: Rng): Uint8Array {
  const subtype = pick(rng, [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x10, 0x7f]);
  const actual = int(rng, 40);
  const declared = pick(rng, [0, actual + 1, Math.max(0, actual - 1), 0xff, 0xffff, 0xffffffff, actual + 2 ** 20]);
  const body = randomBytes(rng, actual);
  const form = pick(rng, ['ext8', 'ext16', 'ext32'] as const);
  if (form === 'ext8') return Uint8Array.from([0xc7, declared & 0xff, 0x74, subtype, ...body]);
  if (form === 'ext16') return Uint8Array.from([0xc8, (declared >>> 8) & 0xff, declared & 0xff, 0x74, subtype, ...body]);
  return Uint8Array.from([
    0xc9,
    (declared >>> 24) & 0xff,
    (declared >>> 16) & 0xff,
    (declared >>> 8) & 0xff,
    declared & 0xff,
    0x74,
    subtype,
    ...body,
  ]);
}

function header(messageId: number, chunkIndex: number, chunkCount: number, totalBytes: number, format = 0x01): Uint8Array {
  const bytes = new Uint8Array(CHUNK_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes[0] = format;
  view.setUint32(1, messageId);
  view.setUint32(5, chunkIndex);
  view.setUint32(9, chunkCount);
  view.setUint32(13, totalBytes >>> 0);
  return bytes;
}

function withPayload(head: Uint8Array, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(head.byteLength + payload.byteLength);
  out.set(head);
  out.set(payload, head.byteLength);
  return out;
}

function badChunkHeader(rng: Rng, id: number): Uint8Array[] {
  const body = randomBytes(rng, int(rng, 64));
  switch (int(rng, 9)) {
    case 0:
      return [randomBytes(rng, int(rng, CHUNK_HEADER_BYTES))];
    case 1:
      return [withPayload(header(id, 0, 1, body.byteLength, int(rng, 256) | 0x02), body)];
    case 2:
      return [withPayload(header(id, 3, 2, body.byteLength), body)];
    case 3:
      return [withPayload(header(id, 0, 0, body.byteLength), body)];
    case 4:
      return [withPayload(header(id, 0, 1, 0xffffffff), body)];
    case 5:
      return [withPayload(header(id, 0, 1, body.byteLength + 1 + int(rng, 100)), body)];
    case 6:
      return [withPayload(header(id, 0, 0xffffffff, 0xffffffff), body)];
    case 7:
      return [withPayload(header(id, int(rng, 5) + 1, 8, 8 * 60_000), body)];
    default:
      return [withPayload(header(id, 0, 4, 4 * 60_000), body), withPayload(header(id, 0, 4, 4 * 60_000), body)];
  }
}

/**
 * Several multi-chunk messages at once (small chunks, so a case stays a few KB), in an order that is
 * sometimes legal and often not; more than 16 at once also passes the edge's maxInflightMessages.
 */
function interleaved(rng: Rng, ids: MessageIdSequence): Uint8Array[] {
  const count = 2 + int(rng, 20);
  const chunkBytes = 256 + int(rng, 1024);
  const messages = Array.from({ length: count }, () =>
    splitMessage(ids.next(), payloadOf({ v: PROTOCOL_VERSION, type: 'ping', id: 1, t: 0, pad: randomBytes(rng, 200 + int(rng, 2000)) }), chunkBytes),
  );
  const out: Uint8Array[] = [];
  const next = messages.map(() => 0);
  for (let step = 0; step < 200 && next.some((n, i) => n < messages[i]!.length); step++) {
    const i = int(rng, count);
    const chunks = messages[i]!;
    if (next[i]! >= chunks.length) continue;
    const roll = rng();
    if (roll < 0.08)
      out.push(chunks[next[i]!]!); // duplicate
    else if (roll < 0.14)
      next[i]!++; // lost chunk
    else if (roll < 0.18)
      out.push(chunks[0]!); // restart
    else out.push(chunks[next[i]!++]!);
  }
  return out;
}

export function fuzzCase(rng: Rng, ids: MessageIdSequence, kind: FuzzKind = pick(rng, FUZZ_KINDS)): FuzzCase {
  const one = (payload: Uint8Array): FuzzCase => ({ kind, chunks: splitMessage(ids.next(), payload) });
  switch (kind) {
    case 'wrong-field-type': {
      const message: Record<string, unknown> = { v: PROTOCOL_VERSION, ...pick(rng, TEMPLATES) };
      const keys = Object.keys(message).filter((key) => key !== 'v');
      const key = rng() < 0.15 ? `extra${int(rng, 3)}` : pick(rng, keys);
      if (rng() < 0.2) delete message[key];
      else message[key] = wrongValue(rng);
      return one(payloadOf(message));
    }
    case 'wrong-version':
      return one(payloadOf({ ...pick(rng, TEMPLATES), v: pick(rng, [0, 2, -1, 1.5, '1', null, [1], { v: 1 }, 'v'.repeat(20_000), undefined]) }));
    case 'unknown-type':
      return one(
        payloadOf({
          v: PROTOCOL_VERSION,
          type: pick(rng, ['', 'HELLO', 'welcome', 'error', 'x'.repeat(5000), 7, null, ['ping'], { type: 'ping' }]),
          id: 1,
        }),
      );
    case 'msgpack-bomb':
      return one(pick(rng, MALFORMED_MSGPACK).bytes);
    case 'lying-typed-array':
      return one(frameWithRawItem(lyingTypedArray(rng)));
    case 'bad-chunk-header':
      return { kind, chunks: badChunkHeader(rng, ids.next()) };
    case 'interleaved-chunks':
      return { kind, chunks: interleaved(rng, ids) };
    case 'random-bytes':
      return { kind, chunks: [randomBytes(rng, int(rng, 200))] };
    case 'valid': {
      const message = {
        v: PROTOCOL_VERSION,
        ...pick(
          rng,
          TEMPLATES.filter((t) => t.type === 'ping' || t.type === 'list-nodes' || t.type === 'frame' || t.type === 'call'),
        ),
      };
      return one(payloadOf(message));
    }
  }
}
