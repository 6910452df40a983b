import { Unpackr } from 'msgpackr';
import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { ProtocolLimits } from '../protocol/limits.ts';
import { prescanMessage } from './prescan.ts';
import { resolveLimits } from './resolveLimits.ts';

/**
 * Records and structured clone off: records make msgpackr generate functions from keys in the input, and
 * clone references are not plain data. int64 as 'number' is exact because the pre-scan rejects 64-bit
 * integers beyond ±2^53-1, so every integer decodes as a number (never a BigInt).
 */
const unpackr = new Unpackr({
  moreTypes: true,
  useRecords: false,
  structuredClone: false,
  mapsAsObjects: true,
  int64AsType: 'number',
  copyBuffers: false,
});

/**
 * Decodes one msgpack message from an untrusted peer. The bytes are pre-scanned first (see prescan.ts), so
 * bad input costs one linear pass and ends in a RemoteMediaError: MESSAGE_TOO_LARGE over
 * limits.maxMessageBytes, MALFORMED_MESSAGE (with the byte offset) for everything else. A limits object
 * that would switch a limit off is an INVALID_CONFIG error. Nothing else is thrown.
 *
 * Typed arrays come back as the class that was sent, in their own aligned buffer. msgpack `bin` comes
 * back as a plain Uint8Array that is a view of `bytes` (no copy): do not overwrite `bytes` while you
 * keep the result. Maps become plain objects; a `__proto__` key arrives as `__proto_` (msgpackr's guard).
 */
export function decodeMessage(bytes: Uint8Array, limits?: Partial<ProtocolLimits>): unknown {
  if (!(bytes instanceof Uint8Array)) {
    const got = bytes === null ? 'null' : typeof bytes === 'object' ? (bytes as object).constructor?.name : typeof bytes;
    throw new RemoteMediaError(ErrorCode.MalformedMessage, `decodeMessage expects a Uint8Array, got ${got}`);
  }
  prescanMessage(bytes, resolveLimits(limits));
  // A fresh plain view: bin values are subarrays of it, so they are Uint8Array even when a Node Buffer
  // came in, and msgpackr's cached `dataView` property lands on this view instead of the caller's array.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return unpackr.unpack(view);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RemoteMediaError(ErrorCode.MalformedMessage, `Malformed msgpack: the decoder rejected it: ${reason.slice(0, 200)}`, { cause: error });
  }
}
