// The part of the SDK's public API that runs anywhere: sessions, nodes, pipelines, frames, errors and the
// packager. Both entries re-export it (`index.ts` for browsers, `node/index.ts` for Node); nothing below imports
// DOM-only code, so Node projects (the edge's CLI among them) type-check the Node entry without the DOM lib.
export { signalingUrl, type ConnectOptions } from './connect.ts';
export { RemoteSession, type DeployOptions, type RemoteSessionEvents } from './session/RemoteSession.ts';
export type { ReconnectOptions } from './session/SessionLink.ts';
export { RemoteNode, type DeployedNodeInfo } from './session/RemoteNode.ts';
export type { NodeChannel, NodeRef, NodeRequestType } from './session/NodeChannel.ts';
export type { SessionState, SessionStats } from './session/SessionStats.ts';
export type { FrameStage, StageTiming } from './session/FrameTimings.ts';
export type { CreateOptions } from './session/DeployOptions.ts';
export type { VideoOptions, VideoStats } from './session/VideoWire.ts';
export type { VideoFrameCodec, VideoFrameCodecLoader } from './session/VideoFrameCodec.ts';
export { VideoQualityLadder, type VideoAdaptOptions, type VideoAdaptStats, type VideoQualityLevel } from './session/VideoQualityLadder.ts';
export type { PeerLink, PeerLinkConfig, PeerLinkFactory } from './transport/PeerLink.ts';
export { SDK_VERSION } from './version.ts';
export {
  Pipeline,
  PipelineGraph,
  buildGraph,
  type GraphOutput,
  type GraphResult,
  type GraphStats,
  type JoinPolicy,
  createNode,
  listNodes,
  convertPixelFormat,
  buildPipeline,
  validateManifest,
  defineNode,
  type BuiltinNodeIO,
  type BuiltinNodeName,
  type NodeClass,
  type NodeInput,
  type NodeInstance,
  type NodeOutput,
  type NodeResult,
  type PipelineNode,
  ErrorCode,
  RemoteError,
  RemoteMediaError,
  createAudioFrame,
  createVideoFrame,
  jpegEncoding,
  type AudioFrameData,
  type EncodedVideoFrameData,
  type VideoEncoding,
  type ConfigField,
  type ConfigSchema,
  type DataKind,
  type MediaFrame,
  type NodeDescriptor,
  type NodePackage,
  type PixelFormat,
  type TransportKind,
  type VideoFrameData,
} from '@remotemedia/shared';
export { LiveVideoPump, type LiveVideoPumpOptions, type LiveVideoPumpStats } from './session/LiveVideoPump.ts';
export { LivePump, type LivePumpOptions, type LivePumpStats } from './session/LivePump.ts';
export { InFlightLimit, type InFlightAdaptOptions, type InFlightStats } from './session/InFlightLimit.ts';
export { LiveAudioPump, type LiveAudioPumpOptions, type LiveAudioPumpStats } from './output/LiveAudioPump.ts';
export {
  packModule,
  packSources,
  FetchSourceReader,
  MemorySourceReader,
  encodePackage,
  decodePackage,
  verifyPackage,
  type PackOptions,
  type PackSourcesOptions,
  type SourceReader,
  type ImportMap,
} from './packager/index.ts';
export type { RemoteObject, RemoteMethods } from './remote/RemoteObject.ts';
export type { RemoteTarget, ModuleTarget } from './remote/RemoteTarget.ts';
export type { ModuleSupport } from './remote/ModuleSupport.ts';
export { browserModuleSupport } from './remote/browserModuleSupport.ts';
