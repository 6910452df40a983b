import { frameAnnotations, isEncodedVideoFrame, isVideoFrame, type CompressedVideoCodec, type VideoEncoding } from '@remotemedia/shared';

/** What the edge tells clients in `welcome.videoCodecs`: the compressed forms its workers decode and encode. */
export const EDGE_VIDEO_CODECS: readonly CompressedVideoCodec[] = ['jpeg'];

/**
 * The two ends of a node call in the worker that runs the node (sandbox or built-in worker, never the edge's
 * main thread): an encoded input frame becomes raw pixels before the node sees it, and the node's video outputs
 * are encoded for the trip back as the client asked. Items that are not video pass through untouched.
 *
 * The codecs (sharp's native addon, mozjpeg's WASM) load on the first compressed frame, so a worker whose
 * sessions never send one does not pay for them at start.
 */
export async function decodeInputItem(item: unknown, maxFrameBytes: number): Promise<unknown> {
  if (!isEncodedVideoFrame(item)) return item;
  const { decodeVideoFrame } = await import('./decodeVideoFrame.ts');
  return { ...frameAnnotations(item), ...(await decodeVideoFrame(item, maxFrameBytes)) };
}

export async function encodeOutputItems(items: unknown[], encoding: VideoEncoding | undefined): Promise<unknown[]> {
  if (encoding === undefined || encoding.codec === 'raw' || !items.some(isVideoFrame)) return items;
  const { encodeVideoFrame } = await import('./encodeVideoFrame.ts');
  return Promise.all(items.map((item) => (isVideoFrame(item) ? encodeVideoFrame(item, encoding) : item)));
}
