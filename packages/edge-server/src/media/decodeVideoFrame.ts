import { ErrorCode, RemoteMediaError, convertPixelFormat, readJpegSize, type EncodedVideoFrameData, type VideoFrameData } from '@remotemedia/shared';
import { decodeJpegToRgba } from './JpegDecoder.ts';

/**
 * Compressed frame -> the raw frame a node sees, in the pixel format the sender named. The size the stream
 * declares is checked against the frame's `width` x `height` and the frame limit before the decoder allocates,
 * so a small frame cannot claim (and make the edge allocate) a huge picture. Failures are FRAME_DECODE_FAILED
 * (or FRAME_TOO_LARGE) for this frame only.
 */
export async function decodeVideoFrame(frame: EncodedVideoFrameData, maxFrameBytes: number): Promise<VideoFrameData> {
  const { width, height } = frame;
  if (width * height * 4 > maxFrameBytes) {
    throw new RemoteMediaError(
      ErrorCode.FrameTooLarge,
      `a ${width}x${height} frame decodes to ${width * height * 4} bytes; the limit is ${maxFrameBytes}`,
    );
  }
  const declared = readJpegSize(frame.data);
  if (declared === undefined) {
    throw new RemoteMediaError(
      ErrorCode.FrameDecodeFailed,
      `the ${frame.data.byteLength}-byte JPEG has no readable frame header (SOF) before its image data`,
    );
  }
  if (declared.width !== width || declared.height !== height) {
    throw new RemoteMediaError(
      ErrorCode.FrameDecodeFailed,
      `the JPEG declares ${declared.width}x${declared.height} but the frame says ${width}x${height}; send the size the JPEG really has`,
    );
  }
  let decoded: Awaited<ReturnType<typeof decodeJpegToRgba>>;
  try {
    decoded = await decodeJpegToRgba(frame.data);
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.FrameDecodeFailed, `the ${width}x${height} JPEG could not be decoded: ${(error as Error).message}`);
  }
  if (decoded.width !== width || decoded.height !== height || decoded.rgba.byteLength !== width * height * 4) {
    throw new RemoteMediaError(
      ErrorCode.FrameDecodeFailed,
      `the JPEG decoded to ${decoded.width}x${decoded.height}, not the ${width}x${height} it declared`,
    );
  }
  const rgba: VideoFrameData = { kind: 'video', width, height, format: 'rgba', timestamp: frame.timestamp, data: decoded.rgba };
  // i420 as cameras and browsers have it (limited-range BT.601), as the SDK reads camera frames.
  return convertPixelFormat(rgba, frame.format, 'limited');
}
