import type { EncodedVideoFrameData, JpegVideoEncoding, VideoFrameData } from '@remotemedia/shared';

/**
 * Compresses frames for the wire and restores the edge's replies, in whatever way the runtime does it best:
 * a Worker with OffscreenCanvas / ImageDecoder in browsers, the edge's own codec library in Node.
 */
export interface VideoFrameCodec {
  /** `scale` (0..1] shrinks the picture before encoding: the adaptation's resolution step. */
  encode(frame: VideoFrameData, encoding: JpegVideoEncoding, scale: number): Promise<EncodedVideoFrameData>;
  /** Back to raw pixels in the frame's own `format`. */
  decode(frame: EncodedVideoFrameData): Promise<VideoFrameData>;
  /** Frees what the codec holds (a worker). */
  close?(): void;
}

/** Loads the runtime's codec on first use, so a session that never sends video never pays for it. */
export type VideoFrameCodecLoader = () => Promise<VideoFrameCodec>;

/** Even sizes keep i420's half-resolution chroma planes whole. */
export function scaledSize(width: number, height: number, scale: number): { width: number; height: number } {
  if (scale >= 1) return { width, height };
  const even = (n: number): number => Math.max(2, Math.round((n * scale) / 2) * 2);
  return { width: even(width), height: even(height) };
}
