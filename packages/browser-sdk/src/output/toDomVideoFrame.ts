import { convertPixelFormat, type VideoFrameData } from '@remotemedia/shared';

/**
 * VideoFrameData as a DOM VideoFrame (the caller closes it). rgba and i420 map to the same layouts; gray
 * becomes i420 with neutral chroma (limited range), since WebCodecs has no single-plane format.
 */
export function toDomVideoFrame(frame: VideoFrameData): VideoFrame {
  const source = frame.format === 'gray' ? convertPixelFormat(frame, 'i420', 'limited') : frame;
  return new VideoFrame(source.data, {
    format: source.format === 'rgba' ? 'RGBA' : 'I420',
    codedWidth: source.width,
    codedHeight: source.height,
    // Microseconds, as WebCodecs counts time.
    timestamp: Math.round(source.timestamp * 1000),
  });
}
