import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { ModuleGraph } from './ModuleGraph.ts';

/** `true` when the module exports `name` itself, by name from another module, or through `export *`. */
function exportsName(graph: ModuleGraph, key: string, name: string, visited: Set<string>): boolean {
  if (visited.has(key)) return false;
  visited.add(key);
  const module = graph.modules.get(key);
  if (module === undefined) return false;
  if (module.lexed.exportNames.includes(name)) return true;
  // `export *` never re-exports `default`.
  if (name === 'default') return false;
  return module.lexed.starExportSpecifiers.some((specifier) => {
    const target = module.imports.get(specifier);
    // What an edge module exports is not known here; let the edge check it on load.
    if (target === undefined || target.kind === 'edge') return true;
    return exportsName(graph, target.key, name, visited);
  });
}

/** Fails early, with the names that do exist, when the entry does not export the node class's name. */
export function assertEntryExports(graph: ModuleGraph, exportName: string, entryName: string): void {
  if (exportName.length === 0) throw new RemoteMediaError(ErrorCode.InvalidInput, 'exportName must not be empty');
  if (exportsName(graph, graph.entryKey, exportName, new Set())) return;
  const available = graph.modules.get(graph.entryKey)?.lexed.exportNames ?? [];
  throw new RemoteMediaError(
    ErrorCode.InvalidInput,
    `${entryName} does not export '${exportName}'` + (available.length > 0 ? ` (it exports: ${available.join(', ')})` : ' (it has no exports)'),
  );
}
