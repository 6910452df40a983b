import type { NodePackage, PackageManifest, PackageModuleInfo } from '@remotemedia/shared/protocol';
import { packageId, sha256Hex, utf8Size } from '@remotemedia/shared/package';

export interface PackageModuleInput {
  readonly path: string;
  /** JavaScript source. */
  readonly source: string;
  readonly imports: Readonly<Record<string, string>>;
}

export interface NodePackageInput {
  readonly entry: string;
  readonly exportName: string;
  readonly sdkVersion: string;
  readonly modules: readonly PackageModuleInput[];
}

function byKey<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted);
}

/**
 * Builds the manifest (sizes, hashes, import maps, modules sorted by path, so it is already in
 * canonical order) and the id, which is the hash of that manifest.
 */
export async function buildNodePackage(input: NodePackageInput): Promise<NodePackage> {
  const sortedModules = [...input.modules].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const modules: PackageModuleInfo[] = await Promise.all(
    sortedModules.map(async (module) => ({
      path: module.path,
      size: utf8Size(module.source),
      sha256: await sha256Hex(module.source),
      imports: byKey(Object.entries(module.imports)),
    })),
  );
  const manifest: PackageManifest = {
    formatVersion: 1,
    entry: input.entry,
    exportName: input.exportName,
    modules,
    totalSize: modules.reduce((sum, module) => sum + module.size, 0),
    sdkVersion: input.sdkVersion,
  };
  const sources = byKey(sortedModules.map((module): [string, string] => [module.path, module.source]));
  return { id: await packageId(manifest), manifest, sources };
}
