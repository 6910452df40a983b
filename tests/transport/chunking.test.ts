import { prng } from '../support/prng.ts';
import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { DEFAULT_LIMITS } from '@remotemedia/shared/protocol';
import { CHUNK_HEADER_BYTES, MessageIdSequence, Reassembler, readChunkHeader, splitMessage } from '@remotemedia/shared/transport';

const MAX_CHUNK = DEFAULT_LIMITS.maxChunkBytes;

function patterned(length: number, salt = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + salt + (i >>> 11)) & 0xff;
  return out;
}

function expectSameBytes(actual: Uint8Array | undefined, expected: Uint8Array): void {
  expect(actual).toBeInstanceOf(Uint8Array);
  expect(actual!.byteLength).toBe(expected.byteLength);
  expect(Buffer.compare(actual!, expected)).toBe(0);
}

/** A chunk with an arbitrary header, for feeding the reassembler what a broken or hostile peer would send. */
function rawChunk(messageId: number, chunkIndex: number, chunkCount: number, totalBytes: number, payload = 0): Uint8Array {
  const chunk = new Uint8Array(CHUNK_HEADER_BYTES + payload);
  const view = new DataView(chunk.buffer);
  chunk[0] = 0x01;
  view.setUint32(1, messageId);
  view.setUint32(5, chunkIndex);
  view.setUint32(9, chunkCount);
  view.setUint32(13, totalBytes);
  return chunk;
}

function pushError(reassembler: Reassembler, chunk: Uint8Array): RemoteMediaError {
  try {
    reassembler.push(chunk);
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    return error as RemoteMediaError;
  }
  throw new Error('push accepted a chunk it should have rejected');
}

/** Feeds all chunks but the last, asserting nothing completes early; returns what the last one completes. */
function feed(reassembler: Reassembler, chunks: Uint8Array[]): Uint8Array | undefined {
  for (const chunk of chunks.slice(0, -1)) expect(reassembler.push(chunk)).toBeUndefined();
  return reassembler.push(chunks[chunks.length - 1]!);
}

describe('splitMessage', () => {
  it('writes the documented 17-byte big-endian header', () => {
    const chunks = splitMessage(0x01020304, patterned(100), 64);
    expect(chunks).toHaveLength(3);
    expect(Array.from(chunks[1]!.subarray(0, CHUNK_HEADER_BYTES))).toEqual([0x01, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 100]);
    expect(readChunkHeader(chunks[2]!)).toEqual({ messageId: 0x01020304, chunkIndex: 2, chunkCount: 3, totalBytes: 100 });
    expect(chunks.map((c) => c.byteLength)).toEqual([64, 64, 17 + 100 - 2 * 47]);
  });

  it('gives every chunk its own buffer starting at offset 0', () => {
    for (const chunk of splitMessage(9, patterned(200_000))) {
      expect(chunk.byteOffset).toBe(0);
      expect(chunk.buffer.byteLength).toBe(chunk.byteLength);
    }
  });

  it('refuses an id outside u32 and a chunk size that leaves no room for payload', () => {
    for (const id of [-1, 2 ** 32, 1.5, Number.NaN]) {
      const error = (() => {
        try {
          splitMessage(id, new Uint8Array(1));
        } catch (e) {
          return e;
        }
      })() as RemoteMediaError;
      expect(error).toBeInstanceOf(RemoteMediaError);
      expect(error.code).toBe(ErrorCode.InvalidInput);
    }
    expect(() => splitMessage(1, new Uint8Array(1), CHUNK_HEADER_BYTES)).toThrow(/maxChunkBytes must be an integer above the 17-byte chunk header/);
  });
});

describe('MessageIdSequence', () => {
  it('counts up from the first id and wraps from 2^32-1 to 0', () => {
    const ids = new MessageIdSequence(0xfffffffe);
    expect([ids.next(), ids.next(), ids.next(), ids.next()]).toEqual([0xfffffffe, 0xffffffff, 0, 1]);
    const fresh = new MessageIdSequence();
    expect([fresh.next(), fresh.next()]).toEqual([0, 1]);
  });
});

describe('Reassembler', () => {
  const sizes = [0, 1, MAX_CHUNK - CHUNK_HEADER_BYTES, MAX_CHUNK - CHUNK_HEADER_BYTES + 1, 65_535, 65_536, 65_537, 1_200_000];
  for (const size of sizes) {
    it(`round-trips a ${size}-byte payload with every chunk <= ${MAX_CHUNK} bytes`, () => {
      const payload = patterned(size, size);
      const chunks = splitMessage(77, payload);
      const perChunk = MAX_CHUNK - CHUNK_HEADER_BYTES;
      expect(chunks).toHaveLength(Math.max(1, Math.ceil(size / perChunk)));
      for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(MAX_CHUNK);
      const reassembler = new Reassembler();
      expectSameBytes(feed(reassembler, chunks), payload);
      expect(reassembler.inflightMessages).toBe(0);
      expect(reassembler.inflightBytes).toBe(0);
    });
  }

  it('returns a single-chunk message as a view of the chunk, without copying', () => {
    const [chunk] = splitMessage(5, patterned(1000));
    const payload = new Reassembler().push(chunk!);
    expect(payload!.buffer).toBe(chunk!.buffer);
    expect(payload!.byteOffset).toBe(CHUNK_HEADER_BYTES);
  });

  it('counts a partial message in inflightMessages and inflightBytes until it completes', () => {
    const reassembler = new Reassembler();
    const chunks = splitMessage(3, patterned(150_000));
    reassembler.push(chunks[0]!);
    expect(reassembler.inflightMessages).toBe(1);
    expect(reassembler.inflightBytes).toBe(150_000);
    reassembler.push(chunks[1]!);
    expect(reassembler.inflightBytes).toBe(150_000);
    reassembler.push(chunks[2]!);
    expect(reassembler.inflightMessages).toBe(0);
    expect(reassembler.inflightBytes).toBe(0);
  });

  it('reassembles messages whose chunks interleave round-robin', () => {
    const payloads = [patterned(300_000, 1), patterned(10, 2), patterned(200_001, 3), patterned(0), patterned(131_034, 4)];
    const chunkLists = payloads.map((p, i) => splitMessage(1000 + i, p));
    const reassembler = new Reassembler();
    const done = new Map<number, Uint8Array>();
    const longest = Math.max(...chunkLists.map((c) => c.length));
    for (let round = 0; round < longest; round++) {
      chunkLists.forEach((chunks, i) => {
        const chunk = chunks[round];
        if (chunk === undefined) return;
        const result = reassembler.push(chunk);
        if (round === chunks.length - 1) done.set(i, result!);
        else expect(result).toBeUndefined();
      });
    }
    payloads.forEach((payload, i) => expectSameBytes(done.get(i), payload));
    expect(reassembler.inflightMessages).toBe(0);
  });

  it('reassembles messages interleaved in random order (each message still in order)', () => {
    const random = prng(42);
    const payloads = Array.from({ length: 12 }, (_, i) => patterned(Math.floor(random() * 400_000), i));
    const queues = payloads.map((p, i) => splitMessage(i * 3, p, 16_384));
    const reassembler = new Reassembler({ maxChunkBytes: 16_384 });
    const done = new Map<number, Uint8Array>();
    let left = queues.reduce((sum, q) => sum + q.length, 0);
    while (left > 0) {
      const open = queues.map((q, i) => i).filter((i) => queues[i]!.length > 0);
      const pick = open[Math.floor(random() * open.length)]!;
      const result = reassembler.push(queues[pick]!.shift()!);
      left--;
      if (queues[pick]!.length === 0) done.set(pick, result!);
      else expect(result).toBeUndefined();
    }
    payloads.forEach((payload, i) => expectSameBytes(done.get(i), payload));
  });

  it('property: random sizes, chunk sizes and interleavings all round-trip', () => {
    const random = prng(0x5eed);
    for (let trial = 0; trial < 60; trial++) {
      const maxChunkBytes = CHUNK_HEADER_BYTES + 1 + Math.floor(random() * 4000);
      const reassembler = new Reassembler({ maxChunkBytes, maxInflightMessages: 8 });
      const count = 1 + Math.floor(random() * 8);
      const payloads = Array.from({ length: count }, (_, i) => patterned(Math.floor(random() * 20_000), trial + i));
      const queues = payloads.map((p, i) => splitMessage((trial * 8 + i) >>> 0, p, maxChunkBytes));
      const done: (Uint8Array | undefined)[] = [];
      let left = queues.reduce((sum, q) => sum + q.length, 0);
      while (left-- > 0) {
        const open = queues.map((q, i) => i).filter((i) => queues[i]!.length > 0);
        const pick = open[Math.floor(random() * open.length)]!;
        const chunk = queues[pick]!.shift()!;
        expect(chunk.byteLength).toBeLessThanOrEqual(maxChunkBytes);
        const result = reassembler.push(chunk);
        if (queues[pick]!.length === 0) done[pick] = result;
        else expect(result).toBeUndefined();
      }
      payloads.forEach((payload, i) => expectSameBytes(done[i], payload));
      expect(reassembler.inflightBytes).toBe(0);
    }
  });

  describe('limits, checked before anything is buffered', () => {
    it('refuses a chunk over maxChunkBytes as MESSAGE_TOO_LARGE', () => {
      const reassembler = new Reassembler({ maxChunkBytes: 1024 });
      const [chunk] = splitMessage(1, patterned(2000), 4096);
      const error = pushError(reassembler, chunk!);
      expect(error.code).toBe(ErrorCode.MessageTooLarge);
      expect(error.message).toBe('chunk 0 of message 1 is 2017 bytes, over maxChunkBytes (1024)');
    });

    it('refuses a message declaring more than maxMessageBytes on its first chunk', () => {
      const reassembler = new Reassembler();
      const error = pushError(reassembler, rawChunk(8, 0, 300, DEFAULT_LIMITS.maxMessageBytes + 1, 100));
      expect(error.code).toBe(ErrorCode.MessageTooLarge);
      expect(error.message).toMatch(/message 8 declares 16777217 bytes, over maxMessageBytes \(16777216\)/);
      expect(reassembler.inflightBytes).toBe(0);
    });

    it('refuses a message beyond maxInflightMessages as REASSEMBLY_LIMIT and keeps the others', () => {
      const reassembler = new Reassembler({ maxInflightMessages: 2 });
      const a = splitMessage(1, patterned(100_000, 1));
      const b = splitMessage(2, patterned(100_000, 2));
      const c = splitMessage(3, patterned(100_000, 3));
      reassembler.push(a[0]!);
      reassembler.push(b[0]!);
      const error = pushError(reassembler, c[0]!);
      expect(error.code).toBe(ErrorCode.ReassemblyLimit);
      expect(error.message).toMatch(/message 3 refused: 2 messages are already being reassembled \(maxInflightMessages 2\)/);
      expect(reassembler.push(c[1]!)).toBeUndefined(); // rest of the refused message is ignored
      expectSameBytes(feed(reassembler, a.slice(1)), patterned(100_000, 1));
      expectSameBytes(feed(reassembler, b.slice(1)), patterned(100_000, 2));
    });

    it('refuses a message that would take inflightBytes over maxInflightBytes', () => {
      const reassembler = new Reassembler({ maxInflightBytes: 250_000 });
      reassembler.push(splitMessage(1, patterned(200_000))[0]!);
      const error = pushError(reassembler, splitMessage(2, patterned(70_000))[0]!);
      expect(error.code).toBe(ErrorCode.ReassemblyLimit);
      expect(error.message).toMatch(/message 2 of 70000 bytes refused: 200000 bytes are already held/);
      expect(reassembler.inflightBytes).toBe(200_000);
    });

    it('refuses a chunk count the declared size cannot need or cannot fit', () => {
      const reassembler = new Reassembler();
      expect(pushError(reassembler, rawChunk(1, 0, 5, 3, 1)).message).toMatch(/declares 5 chunks for 3 bytes/);
      expect(pushError(reassembler, rawChunk(2, 0, 2, 0)).message).toMatch(/declares 2 chunks for 0 bytes/);
      expect(pushError(reassembler, rawChunk(3, 0, 2, 200_000, 10)).message).toMatch(
        /declares 200000 bytes in 2 chunks, more than chunks of at most 65519 payload bytes can carry/,
      );
    });
  });

  describe('malformed chunks', () => {
    const cases: [string, (r: Reassembler) => Uint8Array, RegExp][] = [
      ['a chunk shorter than the header', () => new Uint8Array(16), /chunk of 16 byte\(s\) is shorter than the 17-byte chunk header/],
      ['an unknown format byte', () => Object.assign(rawChunk(1, 0, 1, 0), { 0: 0x7b }), /format byte 0x7b, expected 0x01/],
      ['an index beyond the count', () => rawChunk(1, 3, 3, 300, 100), /chunk 3 of message 1 has index beyond its chunk count 3/],
      ['a zero chunk count', () => rawChunk(1, 0, 0, 0), /has index beyond its chunk count 0/],
      ['a later chunk without a first', () => rawChunk(4, 1, 3, 300, 100), /chunk 1 of message 4 arrived but the message's first chunk did not/],
      ['a single chunk shorter than declared', () => rawChunk(1, 0, 1, 10, 9), /declares 10 bytes but its only chunk carries 9/],
    ];
    for (const [name, make, message] of cases) {
      it(`refuses ${name} as MALFORMED_MESSAGE`, () => {
        const reassembler = new Reassembler();
        const error = pushError(reassembler, make(reassembler));
        expect(error.code).toBe(ErrorCode.MalformedMessage);
        expect(error.message).toMatch(message);
      });
    }

    it('refuses a duplicate and an out-of-order chunk', () => {
      const chunks = splitMessage(6, patterned(200_000));
      const dup = new Reassembler();
      dup.push(chunks[0]!);
      dup.push(chunks[1]!);
      expect(pushError(dup, chunks[1]!).message).toBe('chunk 1 of message 6 is out of order or a duplicate: chunk 2 was expected next');
      const skip = new Reassembler();
      skip.push(chunks[0]!);
      expect(pushError(skip, chunks[2]!).message).toMatch(/chunk 2 of message 6 is out of order or a duplicate: chunk 1/);
      expect(skip.inflightMessages).toBe(0);
      expect(skip.inflightBytes).toBe(0);
    });

    it('refuses chunks whose sizes do not add up to the declared total', () => {
      const reassembler = new Reassembler();
      reassembler.push(rawChunk(1, 0, 2, 100, 40));
      expect(pushError(reassembler, rawChunk(1, 1, 2, 100, 50)).message).toBe('message 1 ended after 90 of the 100 bytes declared');
      reassembler.push(rawChunk(2, 0, 2, 100, 60));
      expect(pushError(reassembler, rawChunk(2, 1, 2, 100, 50)).message).toMatch(/carries more than the 100 bytes declared/);
      reassembler.push(rawChunk(3, 0, 3, 100, 60));
      expect(pushError(reassembler, rawChunk(3, 1, 4, 100, 20)).message).toMatch(
        /declares 4 chunks \/ 100 bytes, but the message began with 3 chunks \/ 100 bytes/,
      );
      expect(reassembler.inflightBytes).toBe(0);
    });

    it('refuses a non-Uint8Array chunk', () => {
      const error = pushError(new Reassembler(), 'hello' as unknown as Uint8Array);
      expect(error.code).toBe(ErrorCode.MalformedMessage);
    });
  });

  describe('after an error', () => {
    it('drops only the bad message, ignores its remaining chunks, and lets its id start again', () => {
      const reassembler = new Reassembler();
      const good = splitMessage(10, patterned(200_000, 1));
      const bad = splitMessage(11, patterned(300_000, 2));
      reassembler.push(good[0]!);
      reassembler.push(bad[0]!);
      reassembler.push(good[1]!);
      // bad[1] is lost in transit: bad[2] is out of order, one error, then the rest of message 11 is ignored.
      expect(pushError(reassembler, bad[2]!).code).toBe(ErrorCode.MalformedMessage);
      expect(reassembler.inflightMessages).toBe(1);
      expect(reassembler.inflightBytes).toBe(200_000);
      for (const chunk of bad.slice(3)) expect(reassembler.push(chunk)).toBeUndefined();
      expectSameBytes(feed(reassembler, good.slice(2)), patterned(200_000, 1));
      // Id 11 is free again, for a fresh message.
      const again = patterned(150_000, 3);
      expectSameBytes(feed(reassembler, splitMessage(11, again)), again);
      expect(reassembler.inflightMessages).toBe(0);
    });

    it('reports a later stray chunk of an unknown id once, then ignores the rest of it', () => {
      const reassembler = new Reassembler();
      const chunks = splitMessage(20, patterned(300_000));
      expect(pushError(reassembler, chunks[1]!).message).toMatch(/first chunk did not/);
      for (const chunk of chunks.slice(2)) expect(reassembler.push(chunk)).toBeUndefined();
      expectSameBytes(feed(reassembler, chunks), patterned(300_000));
    });

    it('stays usable after a header it cannot parse', () => {
      const reassembler = new Reassembler();
      expect(pushError(reassembler, new Uint8Array(3)).code).toBe(ErrorCode.MalformedMessage);
      expectSameBytes(feed(reassembler, splitMessage(1, patterned(70_000))), patterned(70_000));
    });

    it('clear() drops every partial message', () => {
      const reassembler = new Reassembler();
      const chunks = splitMessage(1, patterned(200_000));
      reassembler.push(chunks[0]!);
      reassembler.clear();
      expect(reassembler.inflightMessages).toBe(0);
      expect(reassembler.inflightBytes).toBe(0);
      expect(pushError(reassembler, chunks[1]!).message).toMatch(/first chunk did not/);
    });
  });

  it('refuses limits that leave no room for payload', () => {
    expect(() => new Reassembler({ maxChunkBytes: CHUNK_HEADER_BYTES })).toThrow(RemoteMediaError);
    expect(() => new Reassembler({ maxInflightMessages: 0 })).toThrow(/maxInflightMessages must be a positive integer/);
  });
});
