// Public surface of the RemoteMedia client SDK for browsers. Anything not exported here is internal.
export * from './portable.ts';
export { connect } from './browserConnect.ts';
export { BrowserPeerLink } from './transport/BrowserPeerLink.ts';
export { cameraFrames, type CameraFramesOptions } from './capture/cameraFrames.ts';
export { drawVideoFrame } from './render/drawVideoFrame.ts';
export { openCamera, getUserMedia, type CameraCapture, type OpenCameraOptions } from './capture/openCamera.ts';
export { microphoneFrames, type MicrophoneFramesOptions } from './capture/microphoneFrames.ts';
export { openMicrophone, type MicrophoneCapture, type OpenMicrophoneOptions } from './capture/openMicrophone.ts';
export { listMediaDevices } from './capture/listMediaDevices.ts';
export { toImageBytes } from './render/drawVideoFrame.ts';
export { AudioPlayer, type AudioPlayerOptions, type AudioPlayerStats } from './output/AudioPlayer.ts';
export { VideoTrackWriter, type VideoTrackWriterOptions, type VideoTrackWriterStats } from './output/VideoTrackWriter.ts';
export { AudioTrackWriter, type AudioTrackWriterOptions } from './output/AudioTrackWriter.ts';
export { toDomVideoFrame } from './output/toDomVideoFrame.ts';
