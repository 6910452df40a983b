import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

/** Reads and writes the chunk header whose layout Chunker.ts documents. */

export const CHUNK_FORMAT_V1 = 0x01;
export const CHUNK_HEADER_BYTES = 17;

export interface ChunkHeader {
  messageId: number;
  chunkIndex: number;
  chunkCount: number;
  /** Payload bytes of the whole message, repeated in every chunk. */
  totalBytes: number;
}

export function writeChunkHeader(target: Uint8Array, header: ChunkHeader): void {
  target[0] = CHUNK_FORMAT_V1;
  writeU32(target, 1, header.messageId);
  writeU32(target, 5, header.chunkIndex);
  writeU32(target, 9, header.chunkCount);
  writeU32(target, 13, header.totalBytes);
}

/** Throws MALFORMED_MESSAGE for a short chunk or an unknown format byte; field consistency is the caller's. */
export function readChunkHeader(chunk: Uint8Array): ChunkHeader {
  if (chunk.byteLength < CHUNK_HEADER_BYTES) {
    throw new RemoteMediaError(
      ErrorCode.MalformedMessage,
      `chunk of ${chunk.byteLength} byte(s) is shorter than the ${CHUNK_HEADER_BYTES}-byte chunk header`,
    );
  }
  if (chunk[0] !== CHUNK_FORMAT_V1) {
    throw new RemoteMediaError(
      ErrorCode.MalformedMessage,
      `chunk starts with format byte 0x${chunk[0]!.toString(16).padStart(2, '0')}, expected 0x01; ` + 'is the peer speaking this protocol version?',
    );
  }
  return {
    messageId: readU32(chunk, 1),
    chunkIndex: readU32(chunk, 5),
    chunkCount: readU32(chunk, 9),
    totalBytes: readU32(chunk, 13),
  };
}

function writeU32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

function readU32(source: Uint8Array, offset: number): number {
  return source[offset]! * 0x1000000 + ((source[offset + 1]! << 16) | (source[offset + 2]! << 8) | source[offset + 3]!);
}
