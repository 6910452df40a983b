import type { PackageManifest } from '../protocol/NodePackage.ts';
import { canonicalJson } from './canonicalJson.ts';
import { sha256Hex } from './sha256.ts';

/**
 * The manifest exactly as hashed: modules sorted by path, keys sorted by `canonicalJson`. Paths are
 * package-relative, so the id does not depend on the OS or on where the project lives.
 */
export function canonicalManifestJson(manifest: PackageManifest): string {
  const modules = [...manifest.modules].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return canonicalJson({ ...manifest, modules });
}

/** Package id: lower-case hex SHA-256 of the canonical manifest. The manifest holds every source's hash. */
export function packageId(manifest: PackageManifest): Promise<string> {
  return sha256Hex(canonicalManifestJson(manifest));
}
