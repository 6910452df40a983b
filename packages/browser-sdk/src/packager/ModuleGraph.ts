// Over ~350 lines on purpose: one walk whose resolution steps (relative, bare, import maps, package exports,
// TypeScript) share the graph's state; every step that stands alone already lives in its own file beside it.
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { EDGE_MODULE_PREFIX } from '@remotemedia/shared/protocol';
import { isBareSpecifier, parseBareSpecifier, type BareSpecifier } from './bareSpecifier.ts';
import { resolveImportMap, type ImportMap } from './importMap.ts';
import { initLexer, lexModule, type LexedModule, type ModuleRequest } from './lexModule.ts';
import { candidateUrls, extensionOf, isCommonJsPath, isTypeScriptPath } from './moduleExtensions.ts';
import { resolvePackageExports } from './packageExports.ts';
import { assertPackageSize, DEFAULT_MAX_WASM_BYTES, type SizedModule, utf8Size } from '@remotemedia/shared/package';
import { checkWasmSize } from '@remotemedia/shared/wasm';
import { findWasmReferences } from './findWasmReferences.ts';
import { canonicalModuleUrl, directoryOf, displayPath, relativePathUnder } from './packagePaths.ts';
import type { SourceReader } from './SourceReader.ts';
import { transpileTypeScript } from './transpile.ts';

/** An npm package some of the graph's modules belong to. */
export interface PackageInfo {
  /** Name as imported (`left-pad`, `@scope/name`). */
  readonly name: string;
  /** The package's folder, ending in `/`. */
  readonly directory: URL;
  /** package.json `type`, when there is a package.json. */
  readonly type: string | undefined;
  readonly version: string | undefined;
}

/** What an import specifier resolved to: a module of the graph (by key) or a module the edge provides. */
export type ModuleTarget = { readonly kind: 'module'; readonly key: string } | { readonly kind: 'edge'; readonly name: string };

export interface GraphModule {
  /** The module's canonical URL (no query, no fragment): its identity in the graph. */
  readonly key: string;
  readonly url: URL;
  /** JavaScript source as shipped (TypeScript already transpiled). */
  readonly source: string;
  readonly size: number;
  /** Set for modules inside an npm package. */
  readonly packageInfo: PackageInfo | undefined;
  /** Each specifier as written -> its target. */
  readonly imports: ReadonlyMap<string, ModuleTarget>;
  readonly lexed: LexedModule;
  /** Key of the module through which this one was first reached (absent for the entry). */
  readonly importer: string | undefined;
  /** Each `loadWasm` path as written -> the key of its binary in the graph's `wasmFiles`. */
  readonly wasm: ReadonlyMap<string, string>;
}

/** A WebAssembly binary some module loads. */
export interface GraphWasmFile {
  readonly url: URL;
  readonly bytes: Uint8Array;
}

export interface ModuleGraph {
  readonly entryKey: string;
  /** In discovery order (breadth first, requests in source order): deterministic for the same sources. */
  readonly modules: ReadonlyMap<string, GraphModule>;
  /** The WebAssembly binaries the modules load, by canonical URL. */
  readonly wasmFiles: ReadonlyMap<string, GraphWasmFile>;
}

export interface ModuleGraphOptions {
  readonly reader: SourceReader;
  /** Bare specifier -> edge module (`edge:shared` or `shared`). */
  readonly edgeModules?: Readonly<Record<string, string>>;
  readonly importMap?: ImportMap;
  /** What import map targets are relative to. */
  readonly importMapBaseUrl: URL;
  /** Folder holding packages as `<name>/package.json`; when absent, `node_modules` folders are searched upward from the importer. */
  readonly packagesBaseUrl?: URL;
  /** Locations in messages are shown relative to this folder. */
  readonly displayRoot: URL;
  readonly maxPackageBytes: number;
  /** Total WebAssembly the package may carry (default DEFAULT_MAX_WASM_BYTES). */
  readonly maxWasmBytes?: number;
}

interface FoundFile {
  readonly url: URL;
  readonly text: string;
}

interface PendingModule extends FoundFile {
  readonly importer: string | undefined;
}

/** Normalizes an edgeModules value: `shared` and `edge:shared` both mean `edge:shared`. */
function edgeTarget(value: string): string {
  const name = value.startsWith(EDGE_MODULE_PREFIX) ? value.slice(EDGE_MODULE_PREFIX.length) : value;
  if (name.length === 0) throw new RemoteMediaError(ErrorCode.InvalidInput, `Invalid edge module name '${value}'`);
  return `${EDGE_MODULE_PREFIX}${name}`;
}

/**
 * Walks the module graph from an entry: every static import, re-export and literal dynamic import,
 * resolved relative to its importer, through node_modules / an import map, or to an edge module.
 * Each module is read, transpiled and lexed once, however many times (and cycles) it is imported.
 */
export class ModuleGraphBuilder {
  readonly #options: ModuleGraphOptions;
  /** Reads are cached: package.json files and probed candidates are asked for many times. */
  readonly #reads = new Map<string, Promise<string | undefined>>();
  readonly #packages = new Map<string, PackageInfo>();
  readonly #modules = new Map<string, GraphModule>();
  readonly #sizes: SizedModule[] = [];
  readonly #wasmFiles = new Map<string, GraphWasmFile>();
  /** Modules discovered while loading the current one, queued after it. */
  #pendingImports: PendingModule[] = [];

  constructor(options: ModuleGraphOptions) {
    this.#options = options;
  }

  async build(entry: URL): Promise<ModuleGraph> {
    await initLexer();
    const tried: URL[] = [];
    const found = await this.#findFile(canonicalModuleUrl(entry), tried);
    if (found === undefined) {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `Entry module not found: ${entry.href} (tried ${tried.map((url) => this.#display(url)).join(', ')})`,
      );
    }
    const queue: PendingModule[] = [{ ...found, importer: undefined }];
    const queued = new Set<string>([found.url.href]);
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      await this.#loadModule(next);
      for (const pending of this.#pendingImports) {
        if (queued.has(pending.url.href)) continue;
        queued.add(pending.url.href);
        queue.push(pending);
      }
      this.#pendingImports = [];
    }
    return { entryKey: found.url.href, modules: this.#modules, wasmFiles: this.#wasmFiles };
  }

  #read(url: URL): Promise<string | undefined> {
    let read = this.#reads.get(url.href);
    if (read === undefined) {
      read = this.#options.reader.read(url);
      this.#reads.set(url.href, read);
    }
    return read;
  }

  async #findFile(url: URL, tried: URL[]): Promise<FoundFile | undefined> {
    for (const candidate of candidateUrls(url)) {
      tried.push(candidate);
      const text = await this.#read(candidate);
      if (text !== undefined) return { url: candidate, text };
    }
    return undefined;
  }

  #packageOf(url: URL): PackageInfo | undefined {
    let best: PackageInfo | undefined;
    for (const info of this.#packages.values()) {
      if (url.href.startsWith(info.directory.href) && (best === undefined || info.directory.href.length > best.directory.href.length)) {
        best = info;
      }
    }
    return best;
  }

  /** A file inside `.../node_modules/<name>/` belongs to that package even when reached by a relative path. */
  async #classify(url: URL): Promise<PackageInfo | undefined> {
    const segments = url.pathname.split('/');
    const at = segments.lastIndexOf('node_modules');
    if (at >= 0) {
      const scoped = segments[at + 1]?.startsWith('@') === true;
      const nameEnd = at + (scoped ? 3 : 2);
      if (nameEnd < segments.length) {
        const directory = new URL(url.href);
        directory.pathname = `${segments.slice(0, nameEnd).join('/')}/`;
        directory.search = '';
        directory.hash = '';
        const name = decodeURIComponent(segments.slice(at + 1, nameEnd).join('/'));
        const known = this.#packages.get(directory.href);
        if (known !== undefined) return known;
        return this.#registerPackage(directory, name, await this.#readPackageJson(directory, name));
      }
    }
    return this.#packageOf(url);
  }

  #registerPackage(directory: URL, name: string, packageJson: Record<string, unknown> | undefined): PackageInfo {
    const known = this.#packages.get(directory.href);
    if (known !== undefined) return known;
    const info: PackageInfo = {
      name,
      directory,
      type: typeof packageJson?.type === 'string' ? packageJson.type : undefined,
      version: typeof packageJson?.version === 'string' ? packageJson.version : undefined,
    };
    this.#packages.set(directory.href, info);
    return info;
  }

  async #readPackageJson(directory: URL, name: string): Promise<Record<string, unknown> | undefined> {
    const text = await this.#read(new URL('package.json', directory));
    if (text === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RemoteMediaError(ErrorCode.UnresolvableImport, `package.json of '${name}' (${this.#display(directory)}) is not valid JSON`, {
        cause: error,
      });
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new RemoteMediaError(ErrorCode.UnresolvableImport, `package.json of '${name}' (${this.#display(directory)}) is not an object`);
    }
    return parsed as Record<string, unknown>;
  }

  #display(url: URL, info: PackageInfo | undefined = this.#packageOf(url)): string {
    if (info !== undefined) {
      const inside = relativePathUnder(info.directory, url);
      if (inside !== undefined) return `${info.name}/${inside}`;
    }
    return displayPath(url, this.#options.displayRoot);
  }

  /** `entry.ts -> lib/a.ts -> lib/deep/b.js`, the path by which `key` was first reached. */
  #chain(key: string | undefined): string {
    const names: string[] = [];
    for (let current = key; current !== undefined; current = this.#modules.get(current)?.importer) {
      const module = this.#modules.get(current);
      names.unshift(module === undefined ? current : this.#display(module.url, module.packageInfo));
    }
    return names.join(' -> ');
  }

  async #loadModule(pending: PendingModule): Promise<GraphModule> {
    const { url } = pending;
    const packageInfo = await this.#classify(url);
    const name = this.#display(url, packageInfo);
    const chain = `${this.#chain(pending.importer)}${pending.importer === undefined ? '' : ' -> '}${name}`;
    // A UTF-8 byte order mark is not JavaScript; some editors still write one.
    const text = pending.text.charCodeAt(0) === 0xfeff ? pending.text.slice(1) : pending.text;
    const source = isTypeScriptPath(url.pathname) ? await transpileTypeScript(text, name) : text;
    const lexed = lexModule(source, name);
    const commonJs =
      isCommonJsPath(url.pathname) ||
      (packageInfo !== undefined && !lexed.hasModuleSyntax && extensionOf(url.pathname) !== '.mjs' && packageInfo.type !== 'module');
    if (commonJs) {
      throw new RemoteMediaError(
        ErrorCode.UnresolvableImport,
        `${name} is CommonJS (it has no import/export syntax), and the edge only loads ES modules. ` +
          `Import chain: ${chain}. Use an ES module build${packageInfo === undefined ? '' : ` of '${packageInfo.name}'`} or list it in edgeModules.`,
      );
    }
    const size = utf8Size(source);
    this.#sizes.push({ name, size });
    assertPackageSize(this.#sizes, this.#options.maxPackageBytes);

    // Registered before its imports resolve, so chains through this module can be printed.
    const imports = new Map<string, ModuleTarget>();
    const wasm = new Map<string, string>();
    const module: GraphModule = { key: url.href, url, source, size, packageInfo, imports, lexed, importer: pending.importer, wasm };
    this.#modules.set(module.key, module);
    for (const request of lexed.requests) {
      imports.set(request.specifier, await this.#resolveRequest(module, request));
    }
    for (const specifier of findWasmReferences(source)) wasm.set(specifier, await this.#loadWasm(module, specifier));
    return module;
  }

  /** Reads a binary a module loads with loadWasm, once, within the per-module and per-package limits. */
  async #loadWasm(module: GraphModule, specifier: string): Promise<string> {
    const url = canonicalModuleUrl(new URL(specifier, module.url));
    if (this.#wasmFiles.has(url.href)) return url.href;
    const where = this.#display(module.url, module.packageInfo);
    const readBytes = this.#options.reader.readBytes?.bind(this.#options.reader);
    if (readBytes === undefined) {
      throw new RemoteMediaError(ErrorCode.UnresolvableImport, `${where} loads '${specifier}', but this source reader cannot read binary files`);
    }
    const bytes = await readBytes(url);
    if (bytes === undefined) {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `Cannot find WebAssembly file '${specifier}' loaded by ${where} (looked for ${this.#display(url)}). Import chain: ${this.#chain(module.key)}`,
      );
    }
    checkWasmSize(bytes.byteLength, this.#display(url));
    this.#wasmFiles.set(url.href, { url, bytes });
    assertPackageSize(
      [...this.#wasmFiles.values()].map((file) => ({ name: this.#display(file.url), size: file.bytes.byteLength })),
      this.#options.maxWasmBytes ?? DEFAULT_MAX_WASM_BYTES,
      'WebAssembly',
    );
    return url.href;
  }

  #unresolvable(module: GraphModule, request: ModuleRequest, reason: string): RemoteMediaError {
    const where = `${this.#display(module.url, module.packageInfo)}:${request.line}`;
    return new RemoteMediaError(
      ErrorCode.UnresolvableImport,
      `Cannot resolve '${request.specifier}' imported from ${where}: ${reason}. ` +
        `Import chain: ${this.#chain(module.key)} -> '${request.specifier}'`,
    );
  }

  #found(module: GraphModule, file: FoundFile): ModuleTarget {
    const url = canonicalModuleUrl(file.url);
    if (!this.#modules.has(url.href)) this.#pendingImports.push({ url, text: file.text, importer: module.key });
    return { kind: 'module', key: url.href };
  }

  async #resolveRequest(module: GraphModule, request: ModuleRequest): Promise<ModuleTarget> {
    const { specifier } = request;
    const edgeModules = this.#options.edgeModules;
    if (edgeModules !== undefined && Object.hasOwn(edgeModules, specifier)) {
      const value = edgeModules[specifier];
      if (typeof value === 'string') return { kind: 'edge', name: edgeTarget(value) };
    }
    if (specifier.startsWith(EDGE_MODULE_PREFIX)) return { kind: 'edge', name: edgeTarget(specifier) };
    if (specifier.startsWith('node:')) {
      throw this.#unresolvable(module, request, 'Node built-in modules do not exist in the edge sandbox');
    }
    if (isBareSpecifier(specifier)) {
      const bare = parseBareSpecifier(specifier.replace(/[?#].*$/, ''));
      if (bare === undefined) throw this.#unresolvable(module, request, 'not a valid package name');
      return this.#resolveBare(module, request, bare);
    }
    if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
      throw this.#unresolvable(module, request, 'URL imports cannot be packed; map the URL with importMap or edgeModules');
    }
    const url = canonicalModuleUrl(new URL(specifier, module.url));
    if (isCommonJsPath(url.pathname)) throw this.#unresolvable(module, request, 'CommonJS files cannot be loaded by the edge');
    const tried: URL[] = [];
    const found = await this.#findFile(url, tried);
    if (found === undefined) {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `Cannot find module '${specifier}' imported from ${this.#display(module.url, module.packageInfo)}:${request.line} ` +
          `(tried ${tried.map((candidate) => this.#display(candidate)).join(', ')}; only .js, .mjs, .ts and .mts modules are packed). ` +
          `Import chain: ${this.#chain(module.key)}`,
      );
    }
    return this.#found(module, found);
  }

  async #resolveBare(module: GraphModule, request: ModuleRequest, bare: BareSpecifier): Promise<ModuleTarget> {
    const { importMap } = this.#options;
    if (importMap !== undefined) {
      const match = resolveImportMap(importMap, request.specifier, this.#options.importMapBaseUrl);
      if (match !== undefined) {
        const url = canonicalModuleUrl(match.url);
        const found = await this.#findFile(url, []);
        if (found === undefined) throw this.#unresolvable(module, request, `the import map points to ${url.href}, which does not exist`);
        if (!found.url.pathname.split('/').includes('node_modules')) {
          const directory = canonicalModuleUrl(match.packageDirectory);
          this.#registerPackage(directory, bare.packageName, await this.#readPackageJson(directory, bare.packageName));
        }
        return this.#found(module, found);
      }
    }
    const searched: string[] = [];
    for (const directory of this.#packageDirectories(module.url, bare.packageName)) {
      searched.push(this.#display(directory, undefined));
      const packageJson = await this.#readPackageJson(directory, bare.packageName);
      if (packageJson === undefined) continue;
      const info = this.#registerPackage(directory, bare.packageName, packageJson);
      return this.#found(module, await this.#resolveInPackage(module, request, bare, info, packageJson));
    }
    throw this.#unresolvable(
      module,
      request,
      `package '${bare.packageName}' was not found (looked in ${searched.join(', ')}). ` +
        'Install it as an ES module package, or list it in edgeModules if the edge provides it',
    );
  }

  /** Where a package may live: `<packagesBaseUrl>/<name>/`, or each `node_modules/<name>/` from the importer up. */
  #packageDirectories(importer: URL, packageName: string): URL[] {
    const encodedName = packageName.split('/').map(encodeURIComponent).join('/');
    const { packagesBaseUrl } = this.#options;
    if (packagesBaseUrl !== undefined) return [new URL(`${encodedName}/`, packagesBaseUrl)];
    const directories: URL[] = [];
    let directory = directoryOf(importer);
    for (;;) {
      // Never look for node_modules inside node_modules/node_modules.
      if (!directory.pathname.endsWith('/node_modules/')) directories.push(new URL(`node_modules/${encodedName}/`, directory));
      const parent = new URL('../', directory);
      if (parent.href === directory.href) return directories;
      directory = parent;
    }
  }

  async #resolveInPackage(
    module: GraphModule,
    request: ModuleRequest,
    bare: BareSpecifier,
    info: PackageInfo,
    packageJson: Record<string, unknown>,
  ): Promise<FoundFile> {
    const where = this.#display(info.directory, undefined);
    if (packageJson.exports !== undefined) {
      const target = resolvePackageExports(packageJson.exports, bare.subpath);
      if (target === null || target === undefined) {
        throw this.#unresolvable(
          module,
          request,
          `'${bare.packageName}' (${where}) does not export '${bare.subpath}' for import (package.json "exports")`,
        );
      }
      const url = canonicalModuleUrl(new URL(target, info.directory));
      if (!url.href.startsWith(info.directory.href)) {
        throw this.#unresolvable(module, request, `package.json "exports" of '${bare.packageName}' points outside the package`);
      }
      // Exports targets are exact file names (Node does not probe extensions for them).
      const text = await this.#read(url);
      if (text === undefined) {
        throw this.#unresolvable(
          module,
          request,
          `package.json "exports" of '${bare.packageName}' points to ${this.#display(url, info)}, which does not exist`,
        );
      }
      return { url, text };
    }
    let relative = bare.subpath;
    if (relative === '.') {
      const main = typeof packageJson.module === 'string' ? packageJson.module : typeof packageJson.main === 'string' ? packageJson.main : 'index.js';
      relative = main;
    }
    const url = canonicalModuleUrl(new URL(relative, info.directory));
    if (!url.href.startsWith(info.directory.href)) {
      throw this.#unresolvable(module, request, `package.json of '${bare.packageName}' points outside the package`);
    }
    if (isCommonJsPath(url.pathname)) {
      throw this.#unresolvable(module, request, `'${bare.packageName}' resolves to ${this.#display(url, info)}, a CommonJS file`);
    }
    const found = await this.#findFile(url, []);
    if (found === undefined) {
      throw this.#unresolvable(module, request, `'${bare.packageName}' has no file for '${bare.subpath}' (${where})`);
    }
    return found;
  }
}

/** Builds the graph of everything `entry` needs. */
export function buildModuleGraph(entry: URL, options: ModuleGraphOptions): Promise<ModuleGraph> {
  return new ModuleGraphBuilder(options).build(entry);
}
