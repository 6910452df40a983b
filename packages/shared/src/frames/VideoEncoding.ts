import type { PixelFormat } from './VideoFrameData.ts';

/**
 * How a video frame travels: `raw` pixels as the node sees them, or compressed. A union on `codec` so
 * WebCodecs codecs can join later without changing what already exists.
 */
export type VideoEncoding = RawVideoEncoding | JpegVideoEncoding;

export interface RawVideoEncoding {
  readonly codec: 'raw';
}

export interface JpegVideoEncoding {
  readonly codec: 'jpeg';
  /** 0 (smallest) to 1 (best), as `OffscreenCanvas.convertToBlob` takes it. */
  readonly quality: number;
}

export type VideoCodecName = VideoEncoding['codec'];
export type CompressedVideoCodec = Exclude<VideoCodecName, 'raw'>;

export const VIDEO_CODECS: readonly VideoCodecName[] = ['raw', 'jpeg'];

/** A 640x480 camera frame at this quality is ~40 KB, small enough for camera rate over a data channel. */
export const DEFAULT_JPEG_QUALITY = 0.8;

export const RAW_ENCODING: RawVideoEncoding = Object.freeze({ codec: 'raw' });

export function jpegEncoding(quality = DEFAULT_JPEG_QUALITY): JpegVideoEncoding {
  return { codec: 'jpeg', quality };
}

/**
 * A compressed video frame on the wire. `format` is the pixel format the frame is decoded into before a node
 * sees it (nodes only ever see raw pixels); `width` and `height` are what the compressed stream must decode to.
 */
export interface EncodedVideoFrameData {
  readonly kind: 'encoded-video';
  readonly codec: CompressedVideoCodec;
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  readonly timestamp: number;
  readonly data: Uint8Array;
}

/** The fields that make a frame (raw or compressed); anything else on it is an annotation. */
const FRAME_FIELDS = new Set(['kind', 'codec', 'width', 'height', 'format', 'timestamp', 'data']);

/**
 * What was attached to a frame besides its pixels: a detector's findings (`motion`, `blackFrame`), latency marks,
 * an app's own fields. Compressing a frame for the wire and decompressing it again keeps them, so a node's
 * results arrive whatever encoding the frame travelled in.
 */
export function frameAnnotations(frame: object): Record<string, unknown> {
  const annotations: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame)) if (!FRAME_FIELDS.has(key)) annotations[key] = value;
  return annotations;
}

export function isEncodedVideoFrame(value: unknown): value is EncodedVideoFrameData {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'encoded-video';
}

/** True when `encoding` is a well-formed VideoEncoding (the wire and the SDK's options both check with it). */
export function isVideoEncoding(value: unknown): value is VideoEncoding {
  if (typeof value !== 'object' || value === null) return false;
  const { codec, quality } = value as { codec?: unknown; quality?: unknown };
  if (codec === 'raw') return true;
  return codec === 'jpeg' && typeof quality === 'number' && quality >= 0 && quality <= 1;
}
