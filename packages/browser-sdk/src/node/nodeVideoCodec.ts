import {
  ErrorCode,
  RemoteMediaError,
  ResizeNode,
  type EncodedVideoFrameData,
  type JpegVideoEncoding,
  type VideoFrameData,
} from '@remotemedia/shared';
import { scaledSize, type VideoFrameCodec } from '../session/VideoFrameCodec.ts';

/**
 * The codec the edge itself uses (@jsquash/jpeg decode, sharp encode), from the edge package, an optional peer of
 * the SDK: only Node apps that send compressed video load it, and the browser bundle never contains it. A
 * specifier held in a variable keeps TypeScript and bundlers from resolving it ahead of time (the edge depends on
 * the SDK, so a static import would make the two packages import each other).
 */
const EDGE_MEDIA = '@remotemedia/edge-server/media';

/** The part of `@remotemedia/edge-server/media` used here. */
interface EdgeMedia {
  encodeVideoFrame(frame: VideoFrameData, encoding: JpegVideoEncoding): Promise<EncodedVideoFrameData>;
  decodeVideoFrame(frame: EncodedVideoFrameData, maxFrameBytes: number): Promise<VideoFrameData>;
}

export async function loadNodeVideoCodec(): Promise<VideoFrameCodec> {
  let media: EdgeMedia;
  try {
    media = (await import(EDGE_MEDIA)) as EdgeMedia;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `JPEG video in Node uses the edge's codec from @remotemedia/edge-server: install it, or connect with { video: { encoding: { codec: 'raw' } } }`,
        { cause: error },
      );
    }
    throw error;
  }
  return {
    encode(frame, encoding, scale) {
      const size = scaledSize(frame.width, frame.height, scale);
      const source = size.width === frame.width && size.height === frame.height ? frame : new ResizeNode(size).process(frame);
      return media.encodeVideoFrame(source, encoding);
    },
    // The frame was already bounded by the edge's frame limit before it gets here (VideoWire validates it).
    decode: (frame) => media.decodeVideoFrame(frame, Number.MAX_SAFE_INTEGER),
  };
}
