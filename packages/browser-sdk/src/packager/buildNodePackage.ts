import type { NodePackage, PackageManifest, PackageModuleInfo, PackageWasmInfo } from '@remotemedia/shared/protocol';
import { encodeBase64, packageId, sha256Hex, utf8Size } from '@remotemedia/shared/package';

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
  /** WebAssembly binaries the modules load (their paths are already in the modules' import maps). */
  readonly wasm?: readonly { readonly path: string; readonly bytes: Uint8Array }[];
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
  const wasmInput = [...(input.wasm ?? [])].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (wasmInput.length === 0) return { id: await packageId(manifest), manifest, sources };
  const wasmFiles: PackageWasmInfo[] = await Promise.all(
    wasmInput.map(async (file) => ({ path: file.path, size: file.bytes.byteLength, sha256: await sha256Hex(new Uint8Array(file.bytes)) })),
  );
  const withWasm: PackageManifest = { ...manifest, wasm: wasmFiles };
  const wasm = byKey(wasmInput.map((file): [string, string] => [file.path, encodeBase64(file.bytes)]));
  return { id: await packageId(withWasm), manifest: withWasm, sources, wasm };
}
