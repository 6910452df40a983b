import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { ProtocolLimits } from '../protocol/limits.ts';
import {
  TYPED_ARRAY_EXT_TYPE,
  TYPED_ARRAY_SUBTYPES,
  UNDEFINED_EXT_TYPE,
  describeExtensionType,
  describeTypedArraySubtype,
  hexByte,
} from './msgpackrExtensions.ts';

/**
 * How 64-bit integer tokens are treated. `safe`: accepted when the value fits a JS number exactly (other
 * encoders write large integers this way). `reject`: never accepted; msgpackr writes them only for BigInt.
 */
export type Int64Policy = 'safe' | 'reject';

export type PrescanLimits = Pick<ProtocolLimits, 'maxMessageBytes' | 'maxDepth' | 'maxElements'>;

/**
 * Walks untrusted msgpack without building anything, so msgpackr only ever sees input it can decode in
 * bounded time, memory and stack (msgpackr #199 preallocation, #200 nesting crash). Iterative with an
 * explicit stack: recursion here would reintroduce the stack overflow it exists to prevent.
 *
 * Rejects: input over maxMessageBytes (MESSAGE_TOO_LARGE); and as MALFORMED_MESSAGE: nesting deeper than
 * maxDepth, more than maxElements array items + map entries in total, a declared length the remaining bytes
 * cannot hold, any extension but typed arrays (ext 0x74, typed-array subtypes only) and `undefined`,
 * map keys other than strings and integers, the reserved byte 0xc1, truncation and trailing bytes.
 */
export function prescanMessage(bytes: Uint8Array, limits: PrescanLimits, int64: Int64Policy = 'safe'): void {
  const end = bytes.byteLength;
  if (end > limits.maxMessageBytes) {
    throw new RemoteMediaError(ErrorCode.MessageTooLarge, `message of ${end} bytes exceeds maxMessageBytes (${limits.maxMessageBytes})`);
  }
  if (end === 0) fail(0, 'empty input; expected one msgpack value');

  // Per open container: values still expected (a map of n entries expects 2n: key, value, key, ...).
  const remaining: number[] = [];
  const isMap: boolean[] = [];
  // Values expected across all open containers; each needs at least one byte, which bounds declared lengths.
  let pending = 0;
  let elements = 0;
  let pos = 0;

  const need = (count: number, start: number, what: string): void => {
    if (count > end - pos) {
      fail(start, `${what} needs ${count} more byte(s) but only ${end - pos} remain (truncated input)`);
    }
  };
  const readUint = (size: 1 | 2 | 4, start: number, what: string): number => {
    need(size, start, what);
    let value = 0;
    for (let i = 0; i < size; i++) value = value * 256 + bytes[pos++]!;
    return value;
  };

  do {
    const start = pos;
    const top = remaining.length - 1;
    let isKey = false;
    if (top >= 0) {
      isKey = isMap[top]! && remaining[top]! % 2 === 0;
      remaining[top]!--;
      pending--;
    }
    if (pos >= end) {
      fail(pos, `input ends while ${pending + 1} more value(s) were expected (truncated input)`);
    }
    const token = bytes[pos++]!;

    // Set by the branches below: what the token is, and what follows it.
    let kind: 'int' | 'str' | 'other' = 'other';
    let items = -1;
    let map = false;
    let skip = 0;
    let what = 'str';

    if (token <= 0x7f || token >= 0xe0) {
      kind = 'int';
    } else if (token <= 0x8f) {
      items = token & 0x0f;
      map = true;
    } else if (token <= 0x9f) {
      items = token & 0x0f;
    } else if (token <= 0xbf) {
      kind = 'str';
      skip = token & 0x1f;
    } else {
      switch (token) {
        case 0xc0: // nil
        case 0xc2: // false
        case 0xc3: // true
          break;
        case 0xc1:
          fail(start, 'byte 0xc1 is reserved in msgpack and never valid');
          break;
        case 0xc4:
          what = 'bin 8';
          skip = readUint(1, start, 'bin 8 length');
          break;
        case 0xc5:
          what = 'bin 16';
          skip = readUint(2, start, 'bin 16 length');
          break;
        case 0xc6:
          what = 'bin 32';
          skip = readUint(4, start, 'bin 32 length');
          break;
        case 0xc7:
          skip = checkExtension(token, readUint(1, start, 'ext 8 length'), start);
          break;
        case 0xc8:
          skip = checkExtension(token, readUint(2, start, 'ext 16 length'), start);
          break;
        case 0xc9:
          skip = checkExtension(token, readUint(4, start, 'ext 32 length'), start);
          break;
        case 0xca:
          what = 'float 32';
          skip = 4;
          break;
        case 0xcb:
          what = 'float 64';
          skip = 8;
          break;
        case 0xcc:
        case 0xd0:
          kind = 'int';
          what = '8-bit integer';
          skip = 1;
          break;
        case 0xcd:
        case 0xd1:
          kind = 'int';
          what = '16-bit integer';
          skip = 2;
          break;
        case 0xce:
        case 0xd2:
          kind = 'int';
          what = '32-bit integer';
          skip = 4;
          break;
        case 0xcf:
        case 0xd3:
          kind = 'int';
          checkInt64(token === 0xd3, start);
          break;
        case 0xd4:
          skip = checkExtension(token, 1, start);
          break;
        case 0xd5:
          skip = checkExtension(token, 2, start);
          break;
        case 0xd6:
          skip = checkExtension(token, 4, start);
          break;
        case 0xd7:
          skip = checkExtension(token, 8, start);
          break;
        case 0xd8:
          skip = checkExtension(token, 16, start);
          break;
        case 0xd9:
          kind = 'str';
          what = 'str 8';
          skip = readUint(1, start, 'str 8 length');
          break;
        case 0xda:
          kind = 'str';
          what = 'str 16';
          skip = readUint(2, start, 'str 16 length');
          break;
        case 0xdb:
          kind = 'str';
          what = 'str 32';
          skip = readUint(4, start, 'str 32 length');
          break;
        case 0xdc:
          items = readUint(2, start, 'array 16 length');
          break;
        case 0xdd:
          items = readUint(4, start, 'array 32 length');
          break;
        case 0xde:
          items = readUint(2, start, 'map 16 length');
          map = true;
          break;
        case 0xdf:
          items = readUint(4, start, 'map 32 length');
          map = true;
          break;
      }
    }

    if (isKey && kind === 'other') {
      fail(start, `map key of type 0x${hexByte(token)} is not allowed; keys must be strings or integers`);
    }
    if (items >= 0) {
      const label = map ? 'map' : 'array';
      if (remaining.length + 1 > limits.maxDepth) {
        fail(start, `${label} nests deeper than maxDepth (${limits.maxDepth})`);
      }
      const values = map ? items * 2 : items;
      if (pending + values > end - pos) {
        fail(
          start,
          `${label} declares ${items} ${map ? 'entries' : 'items'} but only ${end - pos} byte(s) remain ` +
            `for them and ${pending} other pending value(s); each value needs at least one byte ` +
            '(truncated input or a forged length)',
        );
      }
      elements += items;
      if (elements > limits.maxElements) {
        fail(start, `${label} brings the declared elements to ${elements}, over maxElements (${limits.maxElements})`);
      }
      if (values > 0) {
        remaining.push(values);
        isMap.push(map);
        pending += values;
      }
    } else if (skip > 0) {
      if (skip > end - pos) {
        fail(start, `${what} needs ${skip} byte(s) of data but only ${end - pos} remain (truncated input)`);
      }
      pos += skip;
    }

    while (remaining.length > 0 && remaining[remaining.length - 1] === 0) {
      remaining.pop();
      isMap.pop();
    }
  } while (remaining.length > 0);

  if (pos !== end) fail(pos, `${end - pos} trailing byte(s) after the end of the message`);

  /** Validates an extension header (pos is at its type byte) and returns how many payload bytes follow. */
  function checkExtension(token: number, length: number, start: number): number {
    need(1, start, 'extension type');
    const type = bytes[pos++]!;
    need(length, start, `extension ${describeExtensionType(type)} payload of ${length} byte(s)`);
    if (type === TYPED_ARRAY_EXT_TYPE) {
      if (length < 1) fail(start, 'typed array extension has no subtype byte');
      const subtype = bytes[pos]!;
      const info = TYPED_ARRAY_SUBTYPES[subtype];
      if (info === undefined) {
        fail(start, `typed array subtype ${describeTypedArraySubtype(subtype)} is not allowed; only typed arrays are accepted`);
      }
      if ((length - 1) % info.bytesPerElement !== 0) {
        fail(start, `${info.name} of ${length - 1} byte(s) is not a whole number of ${info.bytesPerElement}-byte elements`);
      }
      return length;
    }
    if (type === UNDEFINED_EXT_TYPE && token === 0xd4) return length;
    fail(start, `extension type ${describeExtensionType(type)} is not allowed; only typed arrays (ext 0x74) and undefined are accepted`);
  }

  function checkInt64(signed: boolean, start: number): void {
    need(8, start, '64-bit integer');
    const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 8);
    const value = signed ? view.getBigInt64(0) : view.getBigUint64(0);
    if (int64 === 'reject') {
      fail(start, `64-bit integer ${value} (a BigInt) is not supported; send a number, or a string for large values`);
    }
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      fail(start, `64-bit integer ${value} does not fit a JS number exactly (beyond ±2^53-1); send it as a string`);
    }
    pos += 8;
  }
}

function fail(offset: number, reason: string): never {
  throw new RemoteMediaError(ErrorCode.MalformedMessage, `Malformed msgpack at byte ${offset}: ${reason}`);
}
