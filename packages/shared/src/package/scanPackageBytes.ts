import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

/**
 * Nesting of a package: package > manifest > modules > module > imports > target is 6 levels.
 * msgpackr has no depth limit of its own and ~72 KB of nested headers can crash the process
 * (msgpackr #200), so anything deeper is refused before decoding.
 */
const MAX_DEPTH = 6;

function reject(reason: string): never {
  throw new RemoteMediaError(ErrorCode.PackageIntegrity, `Package bytes rejected: ${reason}`);
}

/**
 * Cheap, non-recursive pass over MessagePack bytes before msgpackr sees them: only maps, arrays,
 * strings and numbers (all a package contains), bounded nesting, declared lengths that fit in the
 * remaining bytes (no preallocation bombs), exactly one value and nothing after it.
 */
export function scanPackageBytes(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  let position = 0;
  // Values still to read at each open level; the bottom entry is the single root value.
  const remaining: number[] = [1];
  const need = (count: number): void => {
    if (position + count > length) reject('truncated');
  };
  const open = (count: number): void => {
    if (remaining.length > MAX_DEPTH) reject(`nested deeper than ${MAX_DEPTH} levels`);
    // Every element takes at least one byte: a larger count is a lie about the input.
    if (count > length - position) reject('a declared length exceeds the input');
    remaining.push(count);
  };
  while (remaining.length > 0) {
    const top = remaining.length - 1;
    if (remaining[top] === 0) {
      remaining.pop();
      continue;
    }
    remaining[top] = (remaining[top] ?? 0) - 1;
    need(1);
    const token = bytes[position] ?? 0;
    position += 1;
    if (token <= 0x7f || token >= 0xe0) continue; // fixint
    if (token <= 0x8f)
      open((token & 0x0f) * 2); // fixmap
    else if (token <= 0x9f)
      open(token & 0x0f); // fixarray
    else if (token <= 0xbf) {
      need(token & 0x1f); // fixstr
      position += token & 0x1f;
    } else {
      switch (token) {
        case 0xca:
        case 0xcb:
        case 0xcc:
        case 0xcd:
        case 0xce:
        case 0xcf:
        case 0xd0:
        case 0xd1:
        case 0xd2:
        case 0xd3: {
          const size = [4, 8, 1, 2, 4, 8, 1, 2, 4, 8][token - 0xca] ?? 8;
          need(size);
          position += size;
          break;
        }
        case 0xd9:
        case 0xda:
        case 0xdb: {
          const header = token === 0xd9 ? 1 : token === 0xda ? 2 : 4;
          need(header);
          const size = header === 1 ? view.getUint8(position) : header === 2 ? view.getUint16(position) : view.getUint32(position);
          position += header;
          need(size);
          position += size;
          break;
        }
        case 0xdc:
        case 0xdd:
        case 0xde:
        case 0xdf: {
          const header = token === 0xdc || token === 0xde ? 2 : 4;
          need(header);
          const count = header === 2 ? view.getUint16(position) : view.getUint32(position);
          position += header;
          open(token >= 0xde ? count * 2 : count);
          break;
        }
        default:
          reject(`unexpected MessagePack type 0x${token.toString(16)} at byte ${position - 1}`);
      }
    }
  }
  if (position !== length) reject(`${length - position} bytes after the package`);
}
