import { createRequire } from 'node:module';
import { buildSync } from 'esbuild';
import { EDGE_MODULE_PREFIX } from '@remotemedia/shared/protocol';

/**
 * Modules the edge provides to sandboxed code, by import target (`edge:<name>`). A user node that imports
 * '@remotemedia/shared' is packed with that import pointing at `edge:shared` (see the packager's edgeModules),
 * so the same class runs locally against the package and on the edge against this bundle of its portable part.
 *
 * Bundled once per process, at the first sandbox, from the sources the edge itself runs: the guest can never
 * see a different version of the catalogue than the edge's built-in nodes.
 */
let cached: Readonly<Record<string, string>> | undefined;

export function edgeModules(): Readonly<Record<string, string>> {
  cached ??= Object.freeze({
    [`${EDGE_MODULE_PREFIX}shared`]: bundle('@remotemedia/shared/guest'),
  });
  return cached;
}

/**
 * Bundles the module `specifier` names, resolved as this process resolves its own imports: the package's build,
 * or its TypeScript sources when the process runs from sources (the workspace's `@remotemedia/source` condition).
 */
function bundle(specifier: string): string {
  const result = buildSync({
    entryPoints: [createRequire(import.meta.url).resolve(specifier)],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // QuickJS (2024 release) runs ES2020 fine; newer syntax is lowered.
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
