import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { DEFAULT_LIMITS } from '../protocol/limits.ts';
import { CHUNK_HEADER_BYTES, writeChunkHeader } from './chunkHeader.ts';

/**
 * Splits an encoded message into chunks that each fit one data-channel / WebSocket message (werift refuses
 * anything over 64 KiB, Chromium anything over 256 KiB). Every chunk is a 17-byte header + payload slice:
 *
 *   offset  size  field
 *   0       u8    format      0x01; anything else is rejected, so a future layout cannot be misread
 *   1       u32   messageId   chosen by the sender, unique among its messages in flight (wraps at 2^32)
 *   5       u32   chunkIndex  0 .. chunkCount-1, sent in order
 *   9       u32   chunkCount  >= 1; the same in every chunk of a message
 *   13      u32   totalBytes  payload bytes of the whole message; the same in every chunk, so the
 *                             receiver checks size limits on the first chunk, before buffering anything
 *   17      ...   payload     this chunk's slice of the message
 *
 * Integers are big-endian. Each chunk has its own ArrayBuffer (byteOffset 0), as transports that send
 * `chunk.buffer` expect.
 */
export function splitMessage(messageId: number, payload: Uint8Array, maxChunkBytes: number = DEFAULT_LIMITS.maxChunkBytes): Uint8Array[] {
  if (!Number.isInteger(messageId) || messageId < 0 || messageId > 0xffffffff) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `messageId must be an integer from 0 to 2^32-1, got ${messageId}`);
  }
  if (!Number.isSafeInteger(maxChunkBytes) || maxChunkBytes <= CHUNK_HEADER_BYTES) {
    throw new RemoteMediaError(
      ErrorCode.InvalidConfig,
      `maxChunkBytes must be an integer above the ${CHUNK_HEADER_BYTES}-byte chunk header, got ${maxChunkBytes}`,
    );
  }
  const totalBytes = payload.byteLength;
  if (totalBytes > 0xffffffff) {
    throw new RemoteMediaError(ErrorCode.MessageTooLarge, `message of ${totalBytes} bytes does not fit the u32 length field`);
  }
  const perChunk = maxChunkBytes - CHUNK_HEADER_BYTES;
  const chunkCount = Math.max(1, Math.ceil(totalBytes / perChunk));
  const chunks: Uint8Array[] = new Array(chunkCount);
  for (let chunkIndex = 0; chunkIndex < chunkCount; chunkIndex++) {
    const begin = chunkIndex * perChunk;
    const slice = payload.subarray(begin, Math.min(begin + perChunk, totalBytes));
    const chunk = new Uint8Array(CHUNK_HEADER_BYTES + slice.byteLength);
    writeChunkHeader(chunk, { messageId, chunkIndex, chunkCount, totalBytes });
    chunk.set(slice, CHUNK_HEADER_BYTES);
    chunks[chunkIndex] = chunk;
  }
  return chunks;
}

/** Allocates message ids for one sender: 0, 1, ... 2^32-1, then 0 again. */
export class MessageIdSequence {
  private nextId: number;

  constructor(first = 0) {
    if (!Number.isInteger(first) || first < 0 || first > 0xffffffff) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `first message id must be an integer from 0 to 2^32-1, got ${first}`);
    }
    this.nextId = first;
  }

  next(): number {
    const id = this.nextId;
    this.nextId = id === 0xffffffff ? 0 : id + 1;
    return id;
  }
}
