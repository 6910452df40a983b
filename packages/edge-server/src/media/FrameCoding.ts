import { performance } from 'node:perf_hooks';
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
  const { decodeVideoFrame } = await decoderModule();
  return { ...frameAnnotations(item), ...(await decodeVideoFrame(item, maxFrameBytes)) };
}

export async function encodeOutputItems(items: unknown[], encoding: VideoEncoding | undefined): Promise<unknown[]> {
  if (encoding === undefined || encoding.codec === 'raw' || !items.some(isVideoFrame)) return items;
  const { encodeVideoFrame } = await encoderModule();
  return Promise.all(items.map((item) => (isVideoFrame(item) ? encodeVideoFrame(item, encoding) : item)));
}

/** A node's outputs for one input, with the time its worker spent decoding the input and encoding the outputs. */
export interface CodedOutputs {
  items: unknown[];
  /** Set when the input was a compressed frame. */
  decodeMs?: number;
  /** Set when video outputs were compressed for the trip back. */
  encodeMs?: number;
}

/**
 * One node call with both ends of it: decodes a compressed input, runs the node on the raw item, encodes its
 * video outputs as `outputEncoding` asks, and says how long decode and encode took, so the edge can report them
 * apart from the node's own time.
 */
export async function processCoded(
  item: unknown,
  maxFrameBytes: number,
  outputEncoding: VideoEncoding | undefined,
  run: (item: unknown) => unknown[] | Promise<unknown[]>,
): Promise<CodedOutputs> {
  const out: CodedOutputs = { items: [] };
  let input = item;
  if (isEncodedVideoFrame(item)) {
    const started = performance.now();
    input = await decodeInputItem(item, maxFrameBytes);
    out.decodeMs = performance.now() - started;
  }
  const outputs = await run(input);
  const started = performance.now();
  out.items = await encodeOutputItems(outputs, outputEncoding);
  if (out.items !== outputs) out.encodeMs = performance.now() - started;
  return out;
}

/** Whether a call with this input and output encoding uses the codecs (a compressed input, or compressed outputs). */
export function usesCodecs(item: unknown, outputEncoding: VideoEncoding | undefined): boolean {
  return isEncodedVideoFrame(item) || (outputEncoding !== undefined && outputEncoding.codec !== 'raw');
}

/** Loads (once) the modules and codecs compressed frames need, so the first frame does not pay for it. */
export async function loadCodecs(): Promise<void> {
  const [{ loadJpegDecoder }] = await Promise.all([import('./JpegDecoder.ts'), decoderModule(), encoderModule()]);
  await loadJpegDecoder();
}

// Loaded once: an `import()` per frame costs a module-resolution round trip each time (through the loader
// hooks' thread when hooks are registered, as under tsx: 8% of a sandbox worker's busy time at 640x480).
let decoderLoad: Promise<typeof import('./decodeVideoFrame.ts')> | undefined;
let encoderLoad: Promise<typeof import('./encodeVideoFrame.ts')> | undefined;

function decoderModule(): Promise<typeof import('./decodeVideoFrame.ts')> {
  decoderLoad ??= import('./decodeVideoFrame.ts');
  return decoderLoad;
}

function encoderModule(): Promise<typeof import('./encodeVideoFrame.ts')> {
  encoderLoad ??= import('./encodeVideoFrame.ts');
  return encoderLoad;
}
