import { Packr } from 'msgpackr';
import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { ProtocolLimits } from '../protocol/limits.ts';
import { prescanMessage } from './prescan.ts';
import { resolveLimits } from './resolveLimits.ts';

/** moreTypes keeps typed arrays' class (Float32Array would otherwise arrive as raw bytes). */
const packr = new Packr({
  moreTypes: true,
  useRecords: false,
  structuredClone: false,
  mapsAsObjects: true,
});

const PLAIN_DATA = 'send plain data: objects, arrays, strings, numbers, booleans, null, undefined and typed arrays';

/**
 * Encodes a message as msgpack. The output is checked with the same pre-scan the receiver runs, so
 * anything decodeMessage would reject (Date, Set, Error, RegExp, BigInt, ArrayBuffer, over-deep nesting)
 * fails here, on the sending side, as INVALID_INPUT; output over limits.maxMessageBytes is
 * MESSAGE_TOO_LARGE; a value msgpackr cannot encode (a cycle, a Symbol) is INVALID_INPUT.
 *
 * Uint8Array travels as msgpack `bin` in browsers and as msgpackr's typed-array extension under Node;
 * both decode to a Uint8Array. The result is a plain Uint8Array view (no copy) of msgpackr's output
 * buffer, which later encodes do not overwrite.
 */
export function encodeMessage(value: unknown, limits?: Partial<ProtocolLimits>): Uint8Array {
  const resolved = resolveLimits(limits);
  let packed: Uint8Array;
  try {
    packed = packr.pack(value);
  } catch (error) {
    const reason = error instanceof RangeError ? `${error.message} (does it contain a cycle?)` : String(error);
    throw new RemoteMediaError(ErrorCode.InvalidInput, `Cannot encode this value: ${reason}; ${PLAIN_DATA}`, {
      cause: error,
    });
  }
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
  checkEncoded(bytes, resolved);
  return bytes;
}

/** Runs the receiver's pre-scan on encoded bytes: what it would reject fails here, as in encodeMessage. */
export function checkEncoded(bytes: Uint8Array, resolved: Readonly<ProtocolLimits>): void {
  try {
    prescanMessage(bytes, resolved, 'reject');
  } catch (error) {
    if (error instanceof RemoteMediaError && error.code === ErrorCode.MalformedMessage) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `Cannot encode this value, the receiver would reject it: ${error.message}; ${PLAIN_DATA}`);
    }
    throw error;
  }
}
