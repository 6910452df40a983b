import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { ModuleGraph, PackageInfo } from './ModuleGraph.ts';
import { isValidModulePath } from '@remotemedia/shared/package';
import { commonDirectory, displayPath, relativePathUnder } from './packagePaths.ts';

/**
 * Gives every module of a graph its path inside the package.
 *
 * - The user's own modules: relative to `root`, by default the deepest folder holding all of them, so
 *   the same tree gives the same paths wherever it lives and on every OS.
 * - npm package modules: `node_modules/<name>/<path inside the package>`, whatever node_modules folder
 *   (or import-map URL) they came from. A second copy of a package under the same name is stored as
 *   `node_modules/<name>@<version>/` (or `<name>~2`), in discovery order, so the result is deterministic.
 *
 * The original file name is kept, `.ts` included, even though the stored source is JavaScript: the
 * sandbox loads modules through the manifest's import maps, never by extension, and stack traces then
 * name the file the person wrote (sucrase keeps line numbers).
 */
export function assignModulePaths(graph: ModuleGraph, root: URL | undefined): Map<string, string> {
  const prefixes = new Map<PackageInfo, string>();
  const usedPrefixes = new Set<string>();
  const prefixOf = (info: PackageInfo): string => {
    const known = prefixes.get(info);
    if (known !== undefined) return known;
    const base = `node_modules/${info.name}`;
    let prefix = base;
    if (usedPrefixes.has(prefix) && info.version !== undefined) prefix = `${base}@${info.version}`;
    for (let copy = 2; usedPrefixes.has(prefix); copy += 1) prefix = `${base}~${copy}`;
    usedPrefixes.add(prefix);
    prefixes.set(info, prefix);
    return prefix;
  };

  const localUrls = [...graph.modules.values()].filter((module) => module.packageInfo === undefined).map((module) => module.url);
  const localRoot = root ?? commonDirectory(localUrls);
  if (localUrls.length > 0 && localRoot === undefined) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `The package's modules come from different origins (${[...new Set(localUrls.map((url) => url.origin))].join(', ')}); ` +
        'map foreign modules with importMap',
    );
  }

  const paths = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const module of graph.modules.values()) {
    let path: string | undefined;
    if (module.packageInfo !== undefined) {
      const inside = relativePathUnder(module.packageInfo.directory, module.url);
      if (inside !== undefined) path = `${prefixOf(module.packageInfo)}/${inside}`;
    } else if (localRoot !== undefined) {
      path = relativePathUnder(localRoot, module.url);
      if (path === undefined) {
        throw new RemoteMediaError(ErrorCode.InvalidInput, `${displayPath(module.url, localRoot)} is outside the package root ${localRoot.href}`);
      }
    }
    if (path === undefined || !isValidModulePath(path)) {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `Cannot store ${module.url.href} in a package: its path '${path ?? ''}' is not a valid module path ` +
          "(it must end in .js, .mjs, .ts or .mts and contain no ':' or '\\')",
      );
    }
    const owner = owners.get(path);
    if (owner !== undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `${owner} and ${module.url.href} would both be stored as '${path}'`);
    }
    owners.set(path, module.url.href);
    paths.set(module.key, path);
  }
  return paths;
}
