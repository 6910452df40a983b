import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { SDK_VERSION } from '../version.ts';
import { assignModulePaths } from './assignModulePaths.ts';
import { buildNodePackage } from './buildNodePackage.ts';
import { assertEntryExports } from './entryExports.ts';
import type { ImportMap } from './importMap.ts';
import { buildModuleGraph } from './ModuleGraph.ts';
import { assertPackageSize, DEFAULT_MAX_PACKAGE_BYTES } from '@remotemedia/shared/package';
import { directoryOf, displayPath } from './packagePaths.ts';
import { placeWasmFiles } from './wasmPaths.ts';
import type { SourceReader } from './SourceReader.ts';

/** The SDK's portable package is provided by the edge inside the sandbox (frames, Pipeline, media nodes, kernels). */
export const DEFAULT_EDGE_MODULES: Readonly<Record<string, string>> = Object.freeze({
  '@remotemedia/shared': 'edge:shared',
  '@remotemedia/shared/kernels': 'edge:shared/kernels',
});

export interface PackOptions {
  /** Reads sources: FetchSourceReader in the browser, FsSourceReader in Node, MemorySourceReader for in-memory code. */
  reader: SourceReader;
  /** Total JavaScript allowed, in UTF-8 bytes (default DEFAULT_MAX_PACKAGE_BYTES, 4 MiB). */
  maxPackageBytes?: number;
  /**
   * Bare specifiers the edge provides itself, recorded as `edge:<name>` targets and not packed.
   * Default: DEFAULT_EDGE_MODULES ('@remotemedia/shared' is the edge's own build of it).
   */
  edgeModules?: Record<string, string>;
  /** Stamped into the manifest; defaults to this SDK's version. */
  sdkVersion?: string;
  /** Browser: resolves bare specifiers as the page's import map does (checked before node_modules). */
  importMap?: ImportMap;
  /** Browser: folder serving packages as `<name>/package.json` (e.g. a dev server's `/node_modules/`). */
  packagesBaseUrl?: string | URL;
  /** What a relative `entry`, import map targets and `packagesBaseUrl` are relative to (default: the page's URL). */
  baseUrl?: string | URL;
  /**
   * Folder that module paths are relative to. Default: the deepest folder containing all of the
   * user's modules. Every module outside npm packages must be inside it.
   */
  root?: string | URL;
}

function toUrl(value: string | URL, base: URL | undefined, what: string): URL {
  try {
    return new URL(value, base);
  } catch (error) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `Invalid ${what} '${String(value)}'${base === undefined ? ' (a relative location needs baseUrl)' : ''}`,
      {
        cause: error,
      },
    );
  }
}

function asDirectory(url: URL): URL {
  return url.pathname.endsWith('/') ? url : new URL(`${url.href}/`);
}

/**
 * Packs the module that exports a node class, and every module it needs, into a NodePackage for the edge.
 * `entry` is a URL (`import.meta.url` of the node's module, or a file: URL in Node).
 */
export async function packModule(entry: string | URL, exportName: string, options: PackOptions): Promise<NodePackage> {
  // In a page, relative locations are relative to the page, as they are for `import`.
  const pageHref = (globalThis as { location?: { href?: unknown } }).location?.href;
  const pageUrl = typeof pageHref === 'string' ? new URL(pageHref) : undefined;
  const base = options.baseUrl === undefined ? pageUrl : toUrl(options.baseUrl, pageUrl, 'baseUrl');
  const entryUrl = toUrl(entry, base, 'entry');
  const root = options.root === undefined ? undefined : asDirectory(toUrl(options.root, base, 'root'));
  const maxPackageBytes = options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES;
  if (!Number.isSafeInteger(maxPackageBytes) || maxPackageBytes <= 0) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `maxPackageBytes must be a positive integer, got ${maxPackageBytes}`);
  }
  const displayRoot = root ?? directoryOf(entryUrl);

  const graph = await buildModuleGraph(entryUrl, {
    reader: options.reader,
    edgeModules: options.edgeModules ?? DEFAULT_EDGE_MODULES,
    ...(options.importMap === undefined ? {} : { importMap: options.importMap }),
    importMapBaseUrl: base ?? entryUrl,
    ...(options.packagesBaseUrl === undefined ? {} : { packagesBaseUrl: asDirectory(toUrl(options.packagesBaseUrl, base, 'packagesBaseUrl')) }),
    displayRoot,
    maxPackageBytes,
  });
  const entryModule = graph.modules.get(graph.entryKey);
  assertEntryExports(graph, exportName, entryModule === undefined ? entryUrl.href : displayPath(entryModule.url, displayRoot));

  const paths = assignModulePaths(graph, root);
  const pathOf = (key: string): string => {
    const path = paths.get(key);
    if (path === undefined) throw new RemoteMediaError(ErrorCode.Internal, `No path assigned to ${key}`);
    return path;
  };
  const wasm = placeWasmFiles(graph, pathOf);
  const wasmPathOf = (key: string): string => wasm.paths.get(key)!;
  const modules = [...graph.modules.values()].map((module) => ({
    path: pathOf(module.key),
    source: module.source,
    imports: Object.fromEntries([
      ...[...module.imports].map(([specifier, target]): [string, string] => [specifier, target.kind === 'edge' ? target.name : pathOf(target.key)]),
      // loadWasm paths go in the same map: the edge reads them from it to find the binary (see UserWasm).
      ...[...module.wasm].map(([specifier, key]): [string, string] => [specifier, wasmPathOf(key)]),
    ]),
  }));
  // Checked again with the final names; the walk already stopped as soon as the running total was over.
  assertPackageSize(
    [...graph.modules.values()].map((module) => ({ name: pathOf(module.key), size: module.size })),
    maxPackageBytes,
  );
  return buildNodePackage({
    entry: pathOf(graph.entryKey),
    exportName,
    sdkVersion: options.sdkVersion ?? SDK_VERSION,
    modules,
    wasm: [...graph.wasmFiles].map(([key, file]) => ({ path: wasmPathOf(key), bytes: file.bytes })),
  });
}
