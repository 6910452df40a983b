import { isEncodedVideoFrame, isVideoFrame, type CompressedVideoCodec, type VideoEncoding } from '@remotemedia/shared';
import { decodeVideoFrame } from './decodeVideoFrame.ts';
import { encodeVideoFrame } from './encodeVideoFrame.ts';

/** What the edge tells clients in `welcome.videoCodecs`: the compressed forms its workers decode and encode. */
export const EDGE_VIDEO_CODECS: readonly CompressedVideoCodec[] = ['jpeg'];

/**
 * The two ends of a node call in the worker that runs the node (sandbox or built-in worker, never the edge's
 * main thread): an encoded input frame becomes raw pixels before the node sees it, and the node's video outputs
 * are encoded for the trip back as the client asked. Items that are not video pass through untouched.
 */
export function decodeInputItem(item: unknown, maxFrameBytes: number): Promise<unknown> | unknown {
  return isEncodedVideoFrame(item) ? decodeVideoFrame(item, maxFrameBytes) : item;
}

export async function encodeOutputItems(items: unknown[], encoding: VideoEncoding | undefined): Promise<unknown[]> {
  if (encoding === undefined || encoding.codec === 'raw' || !items.some(isVideoFrame)) return items;
  return Promise.all(items.map((item) => (isVideoFrame(item) ? encodeVideoFrame(item, encoding) : item)));
}
