// @remotemedia/shared/transport: chunked, prioritised protocol channels over any raw byte channel.
export { splitMessage, MessageIdSequence } from './Chunker.ts';
export { Reassembler } from './Reassembler.ts';
export { isOwnedBuffer, markOwnedBuffer } from './ownedBuffers.ts';
export { CHUNK_FORMAT_V1, CHUNK_HEADER_BYTES, readChunkHeader, type ChunkHeader } from './chunkHeader.ts';
export { CloseCode, closeReason } from './CloseCode.ts';
export { ProtocolChannel, type ProtocolChannelEvents, type ProtocolChannelOptions, type SendPriority } from './ProtocolChannel.ts';
export type { RawChannel, RawChannelHandlers } from './RawChannel.ts';
export { WebSocketChannel, type WebSocketLike } from './WebSocketChannel.ts';
