// Public surface of the RemoteMedia client SDK. Anything not exported here is internal.
export { connect, signalingUrl, type ConnectOptions } from './connect.ts';
export { RemoteSession, type DeployOptions, type RemoteSessionEvents } from './session/RemoteSession.ts';
export type { ReconnectOptions } from './session/SessionLink.ts';
export { RemoteNode, type DeployedNodeInfo } from './session/RemoteNode.ts';
export type { SessionState, SessionStats } from './session/SessionStats.ts';
export type { PeerLink, PeerLinkConfig, PeerLinkFactory } from './transport/PeerLink.ts';
export { BrowserPeerLink } from './transport/BrowserPeerLink.ts';
export { SDK_VERSION } from './version.ts';
export {
  Pipeline,
  createNode,
  listNodes,
  convertPixelFormat,
  buildPipeline,
  validateManifest,
  type PipelineNode,
  ErrorCode,
  RemoteError,
  RemoteMediaError,
  createAudioFrame,
  createVideoFrame,
  type AudioFrameData,
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
export { cameraFrames, type CameraFramesOptions } from './capture/cameraFrames.ts';
export { drawVideoFrame } from './render/drawVideoFrame.ts';
export { LiveVideoPump, type LiveVideoPumpOptions, type LiveVideoPumpStats } from './session/LiveVideoPump.ts';
export { LivePump, type LivePumpOptions, type LivePumpStats } from './session/LivePump.ts';
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
export { openCamera, getUserMedia, type CameraCapture, type OpenCameraOptions } from './capture/openCamera.ts';
export { microphoneFrames, type MicrophoneFramesOptions } from './capture/microphoneFrames.ts';
export { openMicrophone, type MicrophoneCapture, type OpenMicrophoneOptions } from './capture/openMicrophone.ts';
export { listMediaDevices } from './capture/listMediaDevices.ts';
export { toImageBytes } from './render/drawVideoFrame.ts';
export { AudioPlayer, type AudioPlayerOptions, type AudioPlayerStats } from './output/AudioPlayer.ts';
export { LiveAudioPump, type LiveAudioPumpOptions, type LiveAudioPumpStats } from './output/LiveAudioPump.ts';
export { VideoTrackWriter, type VideoTrackWriterOptions, type VideoTrackWriterStats } from './output/VideoTrackWriter.ts';
export { AudioTrackWriter, type AudioTrackWriterOptions } from './output/AudioTrackWriter.ts';
export { toDomVideoFrame } from './output/toDomVideoFrame.ts';
