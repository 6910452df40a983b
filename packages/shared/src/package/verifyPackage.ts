import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { NodePackage } from '../protocol/NodePackage.ts';
import { packageId } from './packageHash.ts';
import { decodeBase64 } from './base64.ts';
import { assertPackageSize, DEFAULT_MAX_PACKAGE_BYTES, DEFAULT_MAX_WASM_BYTES } from './PackageLimits.ts';
import { sha256Hex, utf8Encode } from './sha256.ts';
import { validatePackageShape } from './validatePackageShape.ts';

export interface VerifyPackageOptions {
  /** Largest total source size accepted (default DEFAULT_MAX_PACKAGE_BYTES). */
  maxPackageBytes?: number;
  /** Largest total WebAssembly size accepted (default DEFAULT_MAX_WASM_BYTES). */
  maxWasmBytes?: number;
}

function integrity(message: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.PackageIntegrity, message);
}

/**
 * What the edge runs on a package as it arrives. Trusts no field: checks the shape and references,
 * measures every source, recomputes every hash, the total and the id. Returns a clean copy to use
 * instead of the input. Throws PackageIntegrity (or PackageTooLarge) on the first mismatch.
 */
export async function verifyPackage(value: unknown, options: VerifyPackageOptions = {}): Promise<NodePackage> {
  const pkg = validatePackageShape(value);
  const { manifest, sources } = pkg;
  // Real sizes decide the limit, before any hashing work is spent on an oversized package.
  const measured = manifest.modules.map((module) => {
    const bytes = utf8Encode(sources[module.path] ?? '');
    return { module, bytes };
  });
  assertPackageSize(
    measured.map(({ module, bytes }) => ({ name: module.path, size: bytes.byteLength })),
    options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES,
  );
  let total = 0;
  for (const { module, bytes } of measured) {
    if (bytes.byteLength !== module.size) {
      throw integrity(`Package ${pkg.id}: '${module.path}' is ${bytes.byteLength} bytes but the manifest says ${module.size}`);
    }
    total += bytes.byteLength;
    if ((await sha256Hex(bytes)) !== module.sha256) {
      throw integrity(`Package ${pkg.id}: the source of '${module.path}' does not match its sha256`);
    }
  }
  await verifyWasm(pkg, options.maxWasmBytes ?? DEFAULT_MAX_WASM_BYTES);
  if (total !== manifest.totalSize) {
    throw integrity(`Package ${pkg.id}: totalSize is ${manifest.totalSize} but the modules add up to ${total}`);
  }
  const id = await packageId(manifest);
  if (id !== pkg.id) throw integrity(`Package id ${pkg.id} does not match its manifest (expected ${id})`);
  return pkg;
}

/** Each WebAssembly binary: strict base64, within the size limit, its size and hash as the manifest says. */
async function verifyWasm(pkg: NodePackage, maxWasmBytes: number): Promise<void> {
  const files = pkg.manifest.wasm ?? [];
  const decoded = files.map((file) => {
    const bytes = decodeBase64(pkg.wasm?.[file.path] ?? '');
    if (bytes === undefined) throw integrity(`Package ${pkg.id}: the binary of '${file.path}' is not canonical base64`);
    return { file, bytes };
  });
  assertPackageSize(
    decoded.map(({ file, bytes }) => ({ name: file.path, size: bytes.byteLength })),
    maxWasmBytes,
    'WebAssembly',
  );
  for (const { file, bytes } of decoded) {
    if (bytes.byteLength !== file.size) {
      throw integrity(`Package ${pkg.id}: '${file.path}' is ${bytes.byteLength} bytes but the manifest says ${file.size}`);
    }
    if ((await sha256Hex(bytes)) !== file.sha256) throw integrity(`Package ${pkg.id}: the binary of '${file.path}' does not match its sha256`);
  }
}
