// What node code running in the edge's QuickJS sandbox gets when it imports '@remotemedia/shared': the
// portable media pieces (frames, errors, Pipeline and PipelineGraph, the audio and video nodes and their helpers). The edge
// bundles this entry once and serves it as the module `edge:shared`. Left out: the wire codec, transports and
// FormatConverter, which need msgpackr and host APIs QuickJS does not have.
export {
  PIXEL_FORMATS,
  audioFrameDuration,
  audioFrameLength,
  createAudioFrame,
  createVideoFrame,
  isAudioFrame,
  isVideoFrame,
  videoFrameByteLength,
  type AudioFrameData,
  type AudioFrameInit,
  type MediaFrame,
  type PixelFormat,
  type VideoFrameData,
  type VideoFrameInit,
} from './frames/index.ts';
export {
  ErrorCode,
  RemoteError,
  RemoteMediaError,
  SANDBOX_FATAL_CODES,
  isErrorCode,
  toErrorPayload,
  type ErrorPayload,
  type RemoteMediaErrorOptions,
} from './errors/index.ts';
export { Pipeline } from './pipeline/Pipeline.ts';
export { PipelineGraph } from './pipeline/graph/PipelineGraph.ts';
export { defineNode } from './pipeline/defineNode.ts';
export type { NodeClass, NodeInput, NodeInstance, NodeOutput } from './pipeline/NodeClass.ts';
export type { NodeResult } from './pipeline/PipelineNode.ts';
export { collectResult, isManyResult } from './pipeline/nodeOutput.ts';
export { NodeError } from './pipeline/NodeError.ts';
export { AudioChunkerNode, audioChunkerDefinition } from './nodes/audio/AudioChunker.ts';
export { ChannelMixNode, channelMixDefinition } from './nodes/audio/ChannelMix.ts';
export { ClippingDetectorNode, clippingDetectorDefinition } from './nodes/audio/ClippingDetector.ts';
export { DB_FLOOR, fromDecibels, toDecibels } from './nodes/audio/decibels.ts';
export { GainNode, gainDefinition } from './nodes/audio/Gain.ts';
export { LevelMeterNode, audioLevels, levelMeterDefinition } from './nodes/audio/LevelMeter.ts';
export { ResampleNode, resampleDefinition } from './nodes/audio/Resample.ts';
export { Resampler, resampleBuffer } from './nodes/audio/Resampler.ts';
export { SilenceDetectorNode, silenceDetectorDefinition } from './nodes/audio/SilenceDetector.ts';
export { VoiceActivityDetectorNode, voiceActivityDetectorDefinition } from './nodes/audio/VoiceActivityDetector.ts';
export { CropNode, cropDefinition } from './nodes/video/Crop.ts';
export { FlipNode, flipDefinition } from './nodes/video/Flip.ts';
export { FrameRateLimiterNode, frameRateLimiterDefinition } from './nodes/video/FrameRateLimiter.ts';
export { GrayscaleNode, grayscaleDefinition } from './nodes/video/Grayscale.ts';
export { ResizeNode, resizeDefinition } from './nodes/video/Resize.ts';
export { VideoBufferNode, videoBufferDefinition } from './nodes/video/VideoBuffer.ts';
export { VideoFormatConverterNode, videoFormatConverterDefinition } from './nodes/video/VideoFormatConverter.ts';
export { convertPixelFormat } from './nodes/video/convertPixelFormat.ts';
export { BiquadFilterNode, biquadFilterDefinition } from './nodes/audio/BiquadFilter.ts';
export { DcBlockerNode, dcBlockerDefinition } from './nodes/audio/DcBlocker.ts';
export { CompressorNode, compressorDefinition } from './nodes/audio/Compressor.ts';
export { LimiterNode, limiterDefinition } from './nodes/audio/Limiter.ts';
export { NoiseGateNode, noiseGateDefinition } from './nodes/audio/NoiseGate.ts';
export { LoudnessMeterNode, loudnessMeterDefinition } from './nodes/audio/LoudnessMeter.ts';
export { PitchDetectorNode, pitchDetectorDefinition } from './nodes/audio/PitchDetector.ts';
export { ToneDetectorNode, toneDetectorDefinition } from './nodes/audio/ToneDetector.ts';
export { DtmfDetectorNode, dtmfDetectorDefinition } from './nodes/audio/DtmfDetector.ts';
export { LatencyTapNode, latencyTapDefinition } from './nodes/general/LatencyTap.ts';
export { JitterMeterNode, jitterMeterDefinition } from './nodes/general/JitterMeter.ts';
export { BrightnessContrastNode, brightnessContrastDefinition } from './nodes/video/BrightnessContrast.ts';
export { BlurNode, blurDefinition } from './nodes/video/Blur.ts';
export { SharpenNode, sharpenDefinition } from './nodes/video/Sharpen.ts';
export { EdgeDetectorNode, edgeDetectorDefinition } from './nodes/video/EdgeDetector.ts';
export { MotionDetectorNode, motionDetectorDefinition } from './nodes/video/MotionDetector.ts';
export { FreezeDetectorNode, freezeDetectorDefinition } from './nodes/video/FreezeDetector.ts';
export { BlackFrameDetectorNode, blackFrameDetectorDefinition } from './nodes/video/BlackFrameDetector.ts';
export { TimestampOverlayNode, timestampOverlayDefinition } from './nodes/video/TimestampOverlay.ts';
export { BiquadCascade, designBiquad } from './nodes/audio/biquad.ts';
export { lumaOf } from './nodes/video/lumaOf.ts';
export { loadWasm, type LoadWasmOptions, type WasmInstance } from './wasm/index.ts';
