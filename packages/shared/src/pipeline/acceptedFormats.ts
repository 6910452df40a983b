import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { PIXEL_FORMATS, isVideoFrame, type PixelFormat } from '../frames/VideoFrameData.ts';
import { convertPixelFormat } from '../nodes/video/convertPixelFormat.ts';

/**
 * Format negotiation: a node declares the pixel formats its `process` accepts (`acceptedFormats`, in order of
 * preference), and whoever runs it (a local Pipeline, the edge's built-in and sandbox workers) converts each
 * video frame to one of them before the call. A node without a declaration gets frames as they come.
 */

/** The name of the declaration: an instance field, or a static field of the node's class. */
export const ACCEPTED_FORMATS_FIELD = 'acceptedFormats';

/**
 * A declaration as a checked list, or undefined when there is none. Throws INVALID_INPUT naming `owner` for
 * anything but a non-empty list of distinct pixel formats: a typo must not silently turn conversion off.
 */
export function parseAcceptedFormats(value: unknown, owner: string): readonly PixelFormat[] | undefined {
  if (value === undefined) return undefined;
  const wrong = (what: string): never => {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `${owner}.${ACCEPTED_FORMATS_FIELD} ${what}; declare a non-empty list of pixel formats from ${PIXEL_FORMATS.join(', ')}, e.g. ['rgba']`,
    );
  };
  if (!Array.isArray(value)) return wrong(`is ${value === null ? 'null' : typeof value}, not a list`);
  if (value.length === 0 || value.length > PIXEL_FORMATS.length) wrong(`has ${value.length} entries`);
  const seen = new Set<PixelFormat>();
  for (const entry of value) {
    if (typeof entry !== 'string' || !PIXEL_FORMATS.includes(entry as PixelFormat)) {
      wrong(`holds ${typeof entry === 'string' ? JSON.stringify(entry.slice(0, 20)) : typeof entry}, which is not a pixel format`);
    }
    if (seen.has(entry as PixelFormat)) wrong(`lists "${entry}" twice`);
    seen.add(entry as PixelFormat);
  }
  return Object.freeze([...seen]);
}

/** What a node object declares: its own `acceptedFormats`, else its class's static one. */
export function acceptedFormatsOf(node: object, owner: string): readonly PixelFormat[] | undefined {
  const own = (node as Record<string, unknown>)[ACCEPTED_FORMATS_FIELD];
  if (own !== undefined) return parseAcceptedFormats(own, owner);
  const ctor = (node as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function' || ctor === Object) return undefined;
  return parseAcceptedFormats((ctor as unknown as Record<string, unknown>)[ACCEPTED_FORMATS_FIELD], owner);
}

/**
 * `item` as the node may receive it: a video frame in a format the node does not accept becomes a new frame
 * in the first accepted one (BT.601, limited-range YUV as cameras and browsers produce); anything else passes
 * untouched. The input frame is never modified.
 */
export function toAcceptedFormat(item: unknown, accepted: readonly PixelFormat[] | undefined): unknown {
  if (accepted === undefined || !isVideoFrame(item) || accepted.includes(item.format)) return item;
  return convertPixelFormat(item, accepted[0]!, 'limited');
}
