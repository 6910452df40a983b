import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { isValidWasmPath } from '@remotemedia/shared/package';
import type { ModuleGraph } from './ModuleGraph.ts';

/** Where each WebAssembly binary goes in the package, and what each loadWasm path means package-wide. */
export interface WasmPlacement {
  /** Binary key (canonical URL) -> package path. */
  readonly paths: ReadonlyMap<string, string>;
}

/**
 * Places each binary beside the module that loads it (its path is the module's package folder plus the relative
 * path as written), so npm packages' binaries land under their `node_modules/<name>/` folder like their code.
 * The edge resolves a loadWasm path package-wide (QuickJS gives a module no import.meta.url), so one path
 * written in two modules must mean the same binary; a package where it does not is refused here.
 */
export function placeWasmFiles(graph: ModuleGraph, modulePathOf: (key: string) => string): WasmPlacement {
  const paths = new Map<string, string>();
  const meaning = new Map<string, { path: string; module: string }>();
  for (const module of graph.modules.values()) {
    const modulePath = modulePathOf(module.key);
    for (const [specifier, key] of module.wasm) {
      const path = paths.get(key) ?? joinInside(modulePath, specifier);
      if (path === undefined || !isValidWasmPath(path)) {
        throw new RemoteMediaError(
          ErrorCode.InvalidInput,
          `${modulePath} loads '${specifier}', which lies outside the package root (or has no valid package path); keep .wasm files beside or below the code`,
        );
      }
      paths.set(key, path);
      const earlier = meaning.get(specifier);
      if (earlier !== undefined && earlier.path !== path) {
        throw new RemoteMediaError(
          ErrorCode.InvalidInput,
          `loadWasm('${specifier}') means ${earlier.path} in ${earlier.module} but ${path} in ${modulePath}; the edge resolves loadWasm paths across the whole package, so give the files distinct names`,
        );
      }
      meaning.set(specifier, { path, module: modulePath });
    }
  }
  return { paths };
}

/** `lib/a.js` + `../b.wasm` -> `b.wasm`; undefined when it climbs above the package root. */
function joinInside(modulePath: string, relative: string): string | undefined {
  const segments = modulePath.split('/').slice(0, -1);
  for (const segment of relative.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else segments.push(segment);
  }
  return segments.join('/');
}
