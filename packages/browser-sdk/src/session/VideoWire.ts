import {
  DEFAULT_JPEG_QUALITY,
  ErrorCode,
  RAW_ENCODING,
  RemoteMediaError,
  frameAnnotations,
  isEncodedVideoFrame,
  isVideoEncoding,
  isVideoFrame,
  jpegEncoding,
  validateItem,
  type EncodedVideoFrameData,
  type TransportKind,
  type VideoEncoding,
  type VideoFrameData,
  type WelcomeMessage,
} from '@remotemedia/shared';
import type { VideoFrameCodec, VideoFrameCodecLoader } from './VideoFrameCodec.ts';
import { VideoQualityLadder, type VideoAdaptOptions, type VideoAdaptStats } from './VideoQualityLadder.ts';

/**
 * Under `auto`, frames smaller than this stay raw: they already fit in a few data-channel packets (frame rate
 * follows packets per frame, ~1,200 bytes each), so compressing them would cost time and exactness for nothing.
 */
export const AUTO_JPEG_MIN_BYTES = 16 * 1024;

/** How a session sends video frames (the `video` option of `connect`). */
export interface VideoOptions {
  /**
   * `auto` (default): JPEG at quality 0.8 over the data channel, where frame rate follows packets per frame (frames
   * under 16 KiB stay raw), and raw over the WebSocket. Raw too over a data channel with large SCTP chunks (the
   * Node SDK to an edge, both werift): a frame is then a few packets, and raw costs neither side any encode or
   * decode time (JPEG through the edge cost ~48 ms of its CPU per 320x240 frame). A `VideoEncoding`
   * (`{ codec: 'raw' }` lossless, `{ codec: 'jpeg', quality }`) holds on every transport.
   */
  encoding?: 'auto' | VideoEncoding;
  /** Step JPEG quality, then resolution, down when round trips stay over budget (default on); `false` holds the level. */
  adapt?: VideoAdaptOptions | false;
}

/** What `session.stats().video` reports. */
export interface VideoStats {
  /** The encoding frames go out in now (with the adaptation's quality). */
  encoding: VideoEncoding;
  /** Why frames cannot be compressed (frames then go raw): this runtime has no codec, or the edge decodes none. */
  codecUnavailable: string | undefined;
  /** Frames encoded / decoded by the SDK. */
  encoded: number;
  decoded: number;
  /** The adaptation's level and the reason of its last change; undefined when frames go raw or it is off. */
  adapt: VideoAdaptStats | undefined;
}

/** A frame as it goes on the wire, with how the edge should send video outputs back. */
export interface WireFrame {
  item: unknown;
  outputEncoding?: VideoEncoding;
  /** Time spent compressing the frame, ms; absent when it goes as it came. */
  encodeMs?: number;
}

/** The edge's outputs as the app reads them, with the time spent decompressing them (absent when none was). */
export interface WireOutputs {
  items: unknown[];
  decodeMs?: number;
}

/**
 * The session's video path: compresses raw video frames before they are sent, decompresses the edge's video
 * outputs before they are handed back (the app always reads raw pixels), and adapts quality to the round trip.
 * Items that are not video, and frames the app already compressed, pass through.
 */
export class VideoWire {
  private readonly encoding: 'auto' | VideoEncoding;
  private readonly ladder: VideoQualityLadder | undefined;
  private codecLoad: Promise<VideoFrameCodec | undefined> | undefined;
  private unavailable: string | undefined;
  private counts = { encoded: 0, decoded: 0 };

  constructor(
    options: VideoOptions,
    private readonly loader: VideoFrameCodecLoader | undefined,
    private readonly transport: () => TransportKind,
    private readonly edge: () => Pick<WelcomeMessage, 'limits' | 'videoCodecs'> | undefined,
    /** The data channel carries large SCTP chunks (both ends werift). */
    private readonly largeChunks: () => boolean = () => false,
  ) {
    const encoding = options.encoding ?? 'auto';
    if (encoding !== 'auto' && !isVideoEncoding(encoding)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `video.encoding must be 'auto', { codec: 'raw' } or { codec: 'jpeg', quality: 0..1 }`);
    }
    this.encoding = encoding;
    const start = encoding !== 'auto' && encoding.codec === 'jpeg' ? encoding.quality : DEFAULT_JPEG_QUALITY;
    this.ladder = options.adapt === false ? undefined : new VideoQualityLadder(start, options.adapt ?? {});
  }

  /** The encoding wanted on the current transport (for this frame), before adaptation and codec availability. */
  private wanted(frame?: VideoFrameData): VideoEncoding {
    if (this.encoding !== 'auto') return this.encoding;
    if (this.transport() !== 'datachannel' || this.largeChunks()) return RAW_ENCODING;
    return frame !== undefined && frame.data.byteLength < AUTO_JPEG_MIN_BYTES ? RAW_ENCODING : jpegEncoding();
  }

  /** Why frames cannot be compressed now: this runtime has no codec, or the edge (an older one) does not decode JPEG. */
  private blocker(): string | undefined {
    if (this.unavailable !== undefined) return this.unavailable;
    const edge = this.edge();
    if (edge !== undefined && !(edge.videoCodecs ?? []).includes('jpeg')) return 'the edge does not decode JPEG frames (an older edge)';
    return undefined;
  }

  /** The encoding frames go out in now. */
  current(): VideoEncoding {
    const wanted = this.wanted();
    if (wanted.codec === 'raw' || this.blocker() !== undefined) return RAW_ENCODING;
    return this.ladder === undefined ? wanted : jpegEncoding(this.ladder.level.quality);
  }

  async outgoing(item: unknown): Promise<WireFrame> {
    if (!isVideoFrame(item)) return { item };
    if (this.wanted(item).codec === 'raw' || this.blocker() !== undefined) return { item };
    const codec = await this.codec();
    if (codec === undefined) return { item };
    const encoding = this.current();
    if (encoding.codec !== 'jpeg') return { item };
    let encoded: EncodedVideoFrameData;
    const started = now();
    try {
      // What the app attached to the frame (e.g. a LatencyTap's mark) travels beside the pixels.
      encoded = { ...frameAnnotations(item), ...(await codec.encode(item, encoding, this.ladder?.level.scale ?? 1)) };
    } catch (error) {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `a ${item.width}x${item.height} ${item.format} frame could not be compressed to JPEG: ${(error as Error).message}`,
      );
    }
    this.counts.encoded++;
    return { item: encoded, outputEncoding: encoding, encodeMs: now() - started };
  }

  /** The edge's outputs with every compressed frame decoded; a bad one fails the frame (FRAME_DECODE_FAILED). */
  async incoming(items: unknown[]): Promise<WireOutputs> {
    if (!items.some(isEncodedVideoFrame)) return { items };
    const codec = await this.codec();
    const started = now();
    const decoded = await Promise.all(items.map((item, index) => (isEncodedVideoFrame(item) ? this.decode(codec, item, index) : item)));
    return { items: decoded, decodeMs: now() - started };
  }

  /** One compressed frame's round trip, for the adaptation. */
  observe(roundTripMs: number): void {
    this.ladder?.observe(roundTripMs);
  }

  stats(): VideoStats {
    const encoding = this.current();
    return {
      encoding,
      codecUnavailable: this.blocker(),
      ...this.counts,
      adapt: encoding.codec === 'jpeg' ? this.ladder?.stats() : undefined,
    };
  }

  close(): void {
    void this.codecLoad?.then((codec) => codec?.close?.());
  }

  private async decode(codec: VideoFrameCodec | undefined, item: EncodedVideoFrameData, index: number): Promise<unknown> {
    if (codec === undefined) {
      throw new RemoteMediaError(ErrorCode.FrameDecodeFailed, `the edge sent a compressed frame and this runtime has no codec: ${this.unavailable}`);
    }
    try {
      validateItem(item, `output item ${index}`, { maxFrameBytes: this.edge()?.limits.maxFrameBytes ?? Number.POSITIVE_INFINITY });
      const frame = await codec.decode(item);
      this.counts.decoded++;
      return { ...frameAnnotations(item), ...frame };
    } catch (error) {
      if (error instanceof RemoteMediaError) throw error;
      throw new RemoteMediaError(
        ErrorCode.FrameDecodeFailed,
        `a ${item.width}x${item.height} JPEG from the edge could not be decoded: ${(error as Error).message}`,
      );
    }
  }

  private codec(): Promise<VideoFrameCodec | undefined> {
    this.codecLoad ??=
      this.loader === undefined
        ? Promise.resolve(this.markUnavailable('no video codec in this runtime'))
        : this.loader().catch((error: unknown) => this.markUnavailable(error instanceof Error ? error.message : String(error)));
    return this.codecLoad;
  }

  private markUnavailable(reason: string): undefined {
    this.unavailable = reason;
    return undefined;
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
