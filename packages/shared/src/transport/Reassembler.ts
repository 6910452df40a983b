import { resolveLimits } from '../codec/resolveLimits.ts';
import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { ProtocolLimits } from '../protocol/limits.ts';
import { CHUNK_HEADER_BYTES, readChunkHeader, type ChunkHeader } from './chunkHeader.ts';
import { markOwnedBuffer } from './ownedBuffers.ts';

interface PartialMessage {
  readonly chunkCount: number;
  readonly totalBytes: number;
  /** Allocated at totalBytes on the first chunk; chunks are copied in as they arrive. */
  readonly buffer: Uint8Array;
  nextIndex: number;
  received: number;
}

/**
 * Ids of dropped messages whose later chunks are still on the way. Bounded so a peer cannot grow it;
 * if one is evicted, its next stray chunk is reported once more as "first chunk never arrived".
 */
const MAX_DISCARDED_IDS = 256;

/**
 * Rebuilds messages from chunks (layout in Chunker.ts) for one connection. Chunks of different messages
 * may interleave; chunks of one message must arrive in order, as an ordered channel delivers them.
 *
 * Every limit is checked from the header before anything is buffered: a chunk over maxChunkBytes or a
 * message over maxMessageBytes is MESSAGE_TOO_LARGE; a new message beyond maxInflightMessages or
 * maxInflightBytes is REASSEMBLY_LIMIT; anything inconsistent (short chunk, unknown format, index out of
 * order, duplicate, wrong size) is MALFORMED_MESSAGE.
 *
 * After an error, only the offending message is lost: its partial data is released, and the rest of its
 * chunks are ignored silently (push returns undefined) until its last chunk has gone by, so one bad message
 * raises one error. A new chunk 0 with that id starts a fresh message. Other messages are unaffected.
 */
export class Reassembler {
  private readonly limits: Readonly<ProtocolLimits>;
  private readonly maxPayloadPerChunk: number;
  private readonly partials = new Map<number, PartialMessage>();
  /** messageId -> its chunkCount, for messages dropped after an error. */
  private readonly discarded = new Map<number, number>();
  private reservedBytes = 0;

  constructor(limits?: Partial<ProtocolLimits>) {
    this.limits = resolveLimits(limits);
    if (this.limits.maxChunkBytes <= CHUNK_HEADER_BYTES) {
      throw new RemoteMediaError(
        ErrorCode.InvalidConfig,
        `limits.maxChunkBytes must be above the ${CHUNK_HEADER_BYTES}-byte chunk header, got ${this.limits.maxChunkBytes}`,
      );
    }
    this.maxPayloadPerChunk = this.limits.maxChunkBytes - CHUNK_HEADER_BYTES;
  }

  /** Messages with some but not all chunks received. */
  get inflightMessages(): number {
    return this.partials.size;
  }

  /** Bytes held for those messages (each is allocated at its declared size on its first chunk). */
  get inflightBytes(): number {
    return this.reservedBytes;
  }

  /**
   * Takes one received chunk; returns the whole message payload when this was its last chunk, otherwise
   * undefined. A single-chunk message is returned as a view of `chunk` (no copy).
   */
  push(chunk: Uint8Array): Uint8Array | undefined {
    if (!(chunk instanceof Uint8Array)) {
      throw new RemoteMediaError(ErrorCode.MalformedMessage, `a chunk must be a Uint8Array, got ${typeof chunk}`);
    }
    const header = readChunkHeader(chunk);
    const { messageId, chunkIndex } = header;
    const discardedCount = this.discarded.get(messageId);
    if (discardedCount !== undefined) {
      this.discarded.delete(messageId);
      if (chunkIndex !== 0) {
        if (chunkIndex + 1 < discardedCount) this.discarded.set(messageId, discardedCount);
        return undefined;
      }
    }
    try {
      return this.accept(chunk, header);
    } catch (error) {
      this.drop(header);
      throw error;
    }
  }

  /** Drops every partial message and forgets dropped ids, e.g. when the connection closes. */
  clear(): void {
    this.partials.clear();
    this.discarded.clear();
    this.reservedBytes = 0;
  }

  private accept(chunk: Uint8Array, header: ChunkHeader): Uint8Array | undefined {
    const { messageId, chunkIndex, chunkCount, totalBytes } = header;
    const where = `chunk ${chunkIndex} of message ${messageId}`;
    const { maxChunkBytes, maxMessageBytes, maxInflightMessages, maxInflightBytes } = this.limits;
    if (chunk.byteLength > maxChunkBytes) {
      throw new RemoteMediaError(ErrorCode.MessageTooLarge, `${where} is ${chunk.byteLength} bytes, over maxChunkBytes (${maxChunkBytes})`);
    }
    if (chunkIndex >= chunkCount) {
      throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} has index beyond its chunk count ${chunkCount}`);
    }
    if (totalBytes > maxMessageBytes) {
      throw new RemoteMediaError(
        ErrorCode.MessageTooLarge,
        `message ${messageId} declares ${totalBytes} bytes, over maxMessageBytes (${maxMessageBytes})`,
      );
    }
    if (totalBytes === 0 ? chunkCount !== 1 : chunkCount > totalBytes) {
      throw new RemoteMediaError(
        ErrorCode.MalformedMessage,
        `message ${messageId} declares ${chunkCount} chunks for ${totalBytes} bytes; every chunk must carry data`,
      );
    }
    if (chunkCount * this.maxPayloadPerChunk < totalBytes) {
      throw new RemoteMediaError(
        ErrorCode.MalformedMessage,
        `message ${messageId} declares ${totalBytes} bytes in ${chunkCount} chunks, more than chunks of at most ` +
          `${this.maxPayloadPerChunk} payload bytes can carry`,
      );
    }
    const payload = chunk.subarray(CHUNK_HEADER_BYTES);
    const partial = this.partials.get(messageId);

    if (chunkIndex === 0) {
      if (partial !== undefined) {
        throw new RemoteMediaError(
          ErrorCode.MalformedMessage,
          `message ${messageId} started again while its chunk ${partial.nextIndex} of ${partial.chunkCount} was expected`,
        );
      }
      if (chunkCount === 1) {
        if (payload.byteLength !== totalBytes) {
          throw new RemoteMediaError(
            ErrorCode.MalformedMessage,
            `message ${messageId} declares ${totalBytes} bytes but its only chunk carries ${payload.byteLength}`,
          );
        }
        return payload;
      }
      if (this.partials.size >= maxInflightMessages) {
        throw new RemoteMediaError(
          ErrorCode.ReassemblyLimit,
          `message ${messageId} refused: ${this.partials.size} messages are already being reassembled ` +
            `(maxInflightMessages ${maxInflightMessages})`,
        );
      }
      if (this.reservedBytes + totalBytes > maxInflightBytes) {
        throw new RemoteMediaError(
          ErrorCode.ReassemblyLimit,
          `message ${messageId} of ${totalBytes} bytes refused: ${this.reservedBytes} bytes are already held for ` +
            `partial messages (maxInflightBytes ${maxInflightBytes})`,
        );
      }
      if (payload.byteLength > totalBytes) {
        throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} carries more than the ${totalBytes} bytes declared`);
      }
      const buffer = new Uint8Array(totalBytes);
      buffer.set(payload);
      this.partials.set(messageId, { chunkCount, totalBytes, buffer, nextIndex: 1, received: payload.byteLength });
      this.reservedBytes += totalBytes;
      return undefined;
    }

    if (partial === undefined) {
      throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} arrived but the message's first chunk did not`);
    }
    if (chunkIndex !== partial.nextIndex) {
      throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} is out of order or a duplicate: chunk ${partial.nextIndex} was expected next`);
    }
    if (chunkCount !== partial.chunkCount || totalBytes !== partial.totalBytes) {
      throw new RemoteMediaError(
        ErrorCode.MalformedMessage,
        `${where} declares ${chunkCount} chunks / ${totalBytes} bytes, but the message began with ` +
          `${partial.chunkCount} chunks / ${partial.totalBytes} bytes`,
      );
    }
    if (partial.received + payload.byteLength > totalBytes) {
      throw new RemoteMediaError(ErrorCode.MalformedMessage, `${where} carries more than the ${totalBytes} bytes declared`);
    }
    partial.buffer.set(payload, partial.received);
    partial.received += payload.byteLength;
    partial.nextIndex++;
    if (partial.nextIndex < chunkCount) return undefined;

    this.release(messageId, partial);
    if (partial.received !== totalBytes) {
      throw new RemoteMediaError(
        ErrorCode.MalformedMessage,
        `message ${messageId} ended after ${partial.received} of the ${totalBytes} bytes declared`,
      );
    }
    // Allocated here for this message alone and forgotten above: its receiver may transfer it.
    markOwnedBuffer(partial.buffer.buffer);
    return partial.buffer;
  }

  /** Forgets a failed message and, if more of its chunks are coming, remembers to ignore them. */
  private drop({ messageId, chunkIndex, chunkCount }: ChunkHeader): void {
    const partial = this.partials.get(messageId);
    if (partial !== undefined) this.release(messageId, partial);
    if (chunkIndex + 1 >= chunkCount) return;
    if (this.discarded.size >= MAX_DISCARDED_IDS) {
      const oldest = this.discarded.keys().next().value;
      if (oldest !== undefined) this.discarded.delete(oldest);
    }
    this.discarded.set(messageId, chunkCount);
  }

  private release(messageId: number, partial: PartialMessage): void {
    this.partials.delete(messageId);
    this.reservedBytes -= partial.totalBytes;
  }
}
