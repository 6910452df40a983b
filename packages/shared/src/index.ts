// Public surface of @remotemedia/shared: frames, errors, the wire protocol, codec and transport framing.
export * from './frames/VideoFrameData.ts';
export * from './frames/AudioFrameData.ts';
export type { MediaFrame } from './frames/MediaFrame.ts';
export * from './errors/ErrorCode.ts';
export * from './errors/RemoteMediaError.ts';
export * from './protocol/version.ts';
export * from './protocol/limits.ts';
export type * from './protocol/messages.ts';
export * from './protocol/NodePackage.ts';
export * from './protocol/validate.ts';
export * from './codec/index.ts';
export * from './transport/index.ts';
export { ProtocolChannel, type ProtocolChannelEvents, type ProtocolChannelOptions, type SendPriority } from './transport/ProtocolChannel.ts';
export type { RawChannel, RawChannelHandlers } from './transport/RawChannel.ts';
export { WebSocketChannel, type WebSocketLike } from './transport/WebSocketChannel.ts';
export * from './pipeline/index.ts';
export * from './nodes/index.ts';
export * from './package/index.ts';
