// @remotemedia/shared/protocol: the versioned message union, its validators, limits and the package format.
export { PROTOCOL_VERSION, type ProtocolVersion } from './version.ts';
export { DEFAULT_LIMITS, type ProtocolLimits } from './limits.ts';
export type {
  AnswerMessage,
  ByeMessage,
  CallMessage,
  ClientMessage,
  ClientMessageType,
  ConsoleLevel,
  ConsoleMessage,
  CreateMessage,
  DeployMessage,
  DisposeMessage,
  DropCause,
  DroppedMessage,
  EdgeTiming,
  EdgeMessage,
  EdgeMessageType,
  ErrorMessage,
  FlushMessage,
  FrameMessage,
  HelloMessage,
  IceServer,
  ListNodesMessage,
  NodeRestoredMessage,
  OfferMessage,
  OutputMessage,
  PingMessage,
  PongMessage,
  RedirectMessage,
  ReplyMessage,
  SaveMessage,
  SctpChunks,
  SerializedState,
  SnapshotMessage,
  TransportKind,
  Unversioned,
  WelcomeMessage,
} from './messages.ts';
export {
  DEFAULT_SCTP_CHUNK_BYTES,
  DROP_CAUSES,
  MAX_FRAME_DEADLINE_MS,
  MAX_SCTP_CHUNK_BYTES,
  SCTP_CHUNKS_VERSION,
} from './messages.ts';
export { EDGE_MODULE_PREFIX, type NodePackage, type PackageManifest, type PackageModuleInfo, type PackageWasmInfo } from './NodePackage.ts';
export { parseClientMessage, parseEdgeMessage, validateItem } from './validate.ts';
