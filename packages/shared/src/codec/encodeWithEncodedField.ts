import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { ProtocolLimits } from '../protocol/limits.ts';
import { checkEncoded, encodeMessage } from './encodeMessage.ts';
import { resolveLimits } from './resolveLimits.ts';

/** msgpack map headers: fixmap is 0x80 | count (up to 15 entries); map16 is 0xde then a big-endian uint16 count. */
const FIXMAP = 0x80;
const FIXMAP_MAX = 0x8f;
const MAP16 = 0xde;

/** The envelope with its map header counting one more entry; undefined when it is not a map msgpackr writes. */
function withOneMoreEntry(envelope: Uint8Array): Uint8Array | undefined {
  const copy = envelope.slice();
  const first = copy[0]!;
  if (first >= FIXMAP && first < FIXMAP_MAX) {
    copy[0] = first + 1;
    return copy;
  }
  const count = first === MAP16 && copy.byteLength >= 3 ? (copy[1]! << 8) | copy[2]! : 0xffff;
  if (count === 0xffff) return undefined;
  copy[1] = (count + 1) >> 8;
  copy[2] = (count + 1) & 0xff;
  return copy;
}

/**
 * Encodes `head` plus one more field whose value is already encoded (`encodedValue`, from encodeMessage), so
 * a large value that does not change (the node catalogue) is encoded once and reused for every reply: only
 * the small envelope is packed per message. The result decodes exactly as encodeMessage({...head, [field]: value})
 * and passes the same pre-scan.
 */
export function encodeWithEncodedField(
  head: Record<string, unknown>,
  field: string,
  encodedValue: Uint8Array,
  limits?: Partial<ProtocolLimits>,
): Uint8Array {
  const resolved = resolveLimits(limits);
  const envelope = field in head ? undefined : withOneMoreEntry(encodeMessage(head, resolved));
  if (envelope === undefined) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `cannot add the encoded field "${field}": the envelope must be a map without it`);
  }
  const key = encodeMessage(field, resolved);
  const bytes = new Uint8Array(envelope.byteLength + key.byteLength + encodedValue.byteLength);
  bytes.set(envelope, 0);
  bytes.set(key, envelope.byteLength);
  bytes.set(encodedValue, envelope.byteLength + key.byteLength);
  checkEncoded(bytes, resolved);
  return bytes;
}
