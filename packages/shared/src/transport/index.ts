export { splitMessage, MessageIdSequence } from './Chunker.ts';
export { Reassembler } from './Reassembler.ts';
export { CHUNK_FORMAT_V1, CHUNK_HEADER_BYTES, readChunkHeader, type ChunkHeader } from './chunkHeader.ts';
export { CloseCode, closeReason } from './CloseCode.ts';
