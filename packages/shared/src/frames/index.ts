// @remotemedia/shared/frames: video and audio frames as they cross the wire and the node API.
export {
  PIXEL_FORMATS,
  createVideoFrame,
  isVideoFrame,
  videoFrameByteLength,
  type PixelFormat,
  type VideoFrameData,
  type VideoFrameInit,
} from './VideoFrameData.ts';
export {
  audioFrameDuration,
  audioFrameLength,
  createAudioFrame,
  isAudioFrame,
  type AudioFrameData,
  type AudioFrameInit,
} from './AudioFrameData.ts';
export type { MediaFrame } from './MediaFrame.ts';
export {
  DEFAULT_JPEG_QUALITY,
  RAW_ENCODING,
  VIDEO_CODECS,
  frameAnnotations,
  isEncodedVideoFrame,
  isVideoEncoding,
  jpegEncoding,
  type CompressedVideoCodec,
  type EncodedVideoFrameData,
  type JpegVideoEncoding,
  type RawVideoEncoding,
  type VideoCodecName,
  type VideoEncoding,
} from './VideoEncoding.ts';
export { hasJpegMagic, readJpegSize, type JpegSize } from './jpegHeader.ts';
