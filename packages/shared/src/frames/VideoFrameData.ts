/** Pixel layouts a video frame can carry. `i420` is planar Y, then U and V at half resolution. */
export type PixelFormat = 'rgba' | 'i420' | 'gray';

export const PIXEL_FORMATS: readonly PixelFormat[] = ['rgba', 'i420', 'gray'];

/**
 * A raw video frame. Plain data (no DOM `VideoFrame`), so the same value crosses the wire,
 * enters the QuickJS sandbox and is processed by catalogue nodes in any runtime.
 */
export interface VideoFrameData {
  readonly kind: 'video';
  readonly width: number;
  readonly height: number;
  readonly format: PixelFormat;
  /** Capture time in milliseconds (any monotonic origin the producer chooses). */
  readonly timestamp: number;
  readonly data: Uint8Array;
}

/** Bytes a frame of this format and size must hold. */
export function videoFrameByteLength(format: PixelFormat, width: number, height: number): number {
  switch (format) {
    case 'rgba':
      return width * height * 4;
    case 'gray':
      return width * height;
    case 'i420': {
      const chromaWidth = Math.ceil(width / 2);
      const chromaHeight = Math.ceil(height / 2);
      return width * height + 2 * chromaWidth * chromaHeight;
    }
  }
}

export interface VideoFrameInit {
  width: number;
  height: number;
  format: PixelFormat;
  timestamp?: number;
  data?: Uint8Array;
}

/** Builds a video frame, checking that dimensions and byte length agree (a zeroed buffer if `data` is omitted). */
export function createVideoFrame(init: VideoFrameInit): VideoFrameData {
  const { width, height, format } = init;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`video frame size must be positive integers, got ${width}x${height}`);
  }
  if (!PIXEL_FORMATS.includes(format)) {
    throw new RangeError(`unknown pixel format "${String(format)}"; expected one of ${PIXEL_FORMATS.join(', ')}`);
  }
  const expected = videoFrameByteLength(format, width, height);
  const data = init.data ?? new Uint8Array(expected);
  if (data.byteLength !== expected) {
    throw new RangeError(`a ${width}x${height} ${format} frame needs ${expected} bytes, got ${data.byteLength}`);
  }
  return { kind: 'video', width, height, format, timestamp: init.timestamp ?? 0, data };
}

export function isVideoFrame(value: unknown): value is VideoFrameData {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'video';
}
