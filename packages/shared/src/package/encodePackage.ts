import { Packr } from 'msgpackr';
import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { NodePackage } from '../protocol/NodePackage.ts';
import { DEFAULT_MAX_PACKAGE_BYTES, DEFAULT_MAX_WASM_BYTES } from './PackageLimits.ts';
import { scanPackageBytes } from './scanPackageBytes.ts';
import { validatePackageShape } from './validatePackageShape.ts';

/**
 * Plain MessagePack: no record structures (which make the decoder generate code from keys in the
 * input), no structured clone, no extension types. A package is only maps, arrays, strings and numbers.
 */
const codec = new Packr({ useRecords: false, structuredClone: false, moreTypes: false, mapsAsObjects: true, variableMapSize: true });

/**
 * Sources plus manifest overhead (paths, hashes, import maps) for a package at the default source limit, and
 * its WebAssembly at the default limit as base64 (4/3 of the bytes, with room to spare).
 */
export const DEFAULT_MAX_ENCODED_PACKAGE_BYTES = 2 * DEFAULT_MAX_PACKAGE_BYTES + 2 * DEFAULT_MAX_WASM_BYTES;

export interface DecodePackageOptions {
  /** Largest input accepted (default DEFAULT_MAX_ENCODED_PACKAGE_BYTES). */
  maxBytes?: number;
}

export function encodePackage(pkg: NodePackage): Uint8Array {
  const value = { id: pkg.id, manifest: pkg.manifest, sources: pkg.sources, ...(pkg.wasm === undefined ? {} : { wasm: pkg.wasm }) };
  // A copy: msgpackr may hand out a view of a buffer it reuses for the next encode.
  return new Uint8Array(codec.pack(value));
}

/**
 * Decodes bytes from an untrusted peer: size cap, structural pre-scan, plain decode, then shape
 * validation. Hashes are not checked here; run `verifyPackage` on the result before using it.
 */
export function decodePackage(bytes: Uint8Array, options: DecodePackageOptions = {}): NodePackage {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_ENCODED_PACKAGE_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw new RemoteMediaError(ErrorCode.PackageTooLarge, `Encoded package is ${bytes.byteLength} bytes, over the limit of ${maxBytes}`);
  }
  scanPackageBytes(bytes);
  let value: unknown;
  try {
    value = codec.unpack(bytes);
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.PackageIntegrity, `Package bytes are not valid MessagePack: ${String(error)}`, { cause: error });
  }
  return validatePackageShape(value);
}
