import type { NodePackage } from '@remotemedia/shared/protocol';
import { MemorySourceReader } from './MemorySourceReader.ts';
import { packModule, type PackOptions } from './packModule.ts';

export interface PackSourcesOptions extends Omit<PackOptions, 'reader' | 'root' | 'baseUrl'> {
  /**
   * Module sources by package path (`main.ts`, `lib/util.js`); `node_modules/<name>/...` entries act as installed
   * packages. Bytes are WebAssembly binaries the modules load (`blur.wasm`).
   */
  sources: Readonly<Record<string, string | Uint8Array>>;
  /** Path of the module exporting the node class. */
  entry: string;
  exportName: string;
}

/**
 * Packs code held in memory (the demo's in-page editor) with the same graph walk as packModule:
 * only the modules the entry reaches are shipped, under the paths they were given.
 */
export async function packSources(options: PackSourcesOptions): Promise<NodePackage> {
  const { sources, entry, exportName, ...packOptions } = options;
  const reader = new MemorySourceReader(sources);
  return packModule(reader.urlOf(entry), exportName, { ...packOptions, reader, root: reader.root, baseUrl: reader.root });
}
