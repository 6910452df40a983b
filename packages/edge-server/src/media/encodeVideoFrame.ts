import { convertPixelFormat, frameAnnotations, type EncodedVideoFrameData, type JpegVideoEncoding, type VideoFrameData } from '@remotemedia/shared';
import { encodeJpeg } from './JpegEncoder.ts';

/** Raw frame -> JPEG; `format` on the result says what the receiver decodes it back into. */
export async function encodeVideoFrame(frame: VideoFrameData, encoding: JpegVideoEncoding): Promise<EncodedVideoFrameData> {
  const { width, height } = frame;
  // Gray goes as a one-channel JPEG (smaller, no chroma); i420 is converted to RGBA first, which sharp takes.
  // i420 is limited-range BT.601, as cameras and browsers have it (and as decodeVideoFrame writes it).
  const pixels = frame.format === 'i420' ? convertPixelFormat(frame, 'rgba', 'limited') : frame;
  const data = await encodeJpeg(pixels.data, width, height, pixels.format === 'gray' ? 1 : 4, encoding.quality);
  // What the node attached to the frame (its findings) travels beside the pixels.
  return { ...frameAnnotations(frame), kind: 'encoded-video', codec: 'jpeg', width, height, format: frame.format, timestamp: frame.timestamp, data };
}
