import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { EDGE_MODULE_PREFIX, type NodePackage, type PackageModuleInfo, type PackageWasmInfo } from '../protocol/NodePackage.ts';
import { isValidModulePath, isValidWasmPath } from './modulePath.ts';

/** Bounds on manifest strings, so a hostile package cannot make the edge hold huge keys and names. */
const MAX_NAME_LENGTH = 256;
const MAX_SPECIFIER_LENGTH = 1024;
/** One segment of an edge module name (`shared`, `@scope/name`): never empty, never `.`, `..` or hidden. */
const EDGE_NAME_SEGMENT = /^[A-Za-z0-9@_-][A-Za-z0-9@._-]*$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

function fail(reason: string): never {
  throw new RemoteMediaError(ErrorCode.PackageIntegrity, `Invalid package: ${reason}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function expectKeys(value: unknown, keys: readonly string[], what: string, optional: readonly string[] = []): Record<string, unknown> {
  if (!isRecord(value)) fail(`${what} must be an object`);
  const actual = Object.keys(value);
  const unexpected = actual.filter((key) => !keys.includes(key) && !optional.includes(key));
  const missing = keys.filter((key) => !Object.hasOwn(value, key));
  if (unexpected.length > 0) fail(`${what} has unexpected fields: ${unexpected.slice(0, 5).join(', ')}`);
  if (missing.length > 0) fail(`${what} is missing: ${missing.join(', ')}`);
  return value;
}

function expectString(value: unknown, what: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    fail(`${what} must be a non-empty string of at most ${maxLength} characters`);
  }
  return value;
}

/** An `edge:` target's name: `/`-separated segments that cannot walk out of the edge's own module namespace. */
function isValidEdgeName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && name.split('/').every((segment) => EDGE_NAME_SEGMENT.test(segment));
}

function expectSize(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a non-negative integer`);
  return value;
}

/**
 * Checks that a value has exactly the NodePackage shape, with consistent references (every import
 * target is a module of the package or an `edge:` module, the entry exists, sources match modules),
 * and returns a fresh copy made of plain objects. Hashes and sizes are checked by `verifyPackage`.
 */
export function validatePackageShape(value: unknown): NodePackage {
  const pkg = expectKeys(value, ['id', 'manifest', 'sources'], 'package', ['wasm']);
  const id = pkg.id;
  if (typeof id !== 'string' || !HEX_SHA256.test(id)) fail('id must be a lower-case hex SHA-256');
  const manifest = expectKeys(pkg.manifest, ['formatVersion', 'entry', 'exportName', 'modules', 'totalSize', 'sdkVersion'], 'manifest', ['wasm']);
  if (manifest.formatVersion !== 1) fail(`unsupported formatVersion ${String(manifest.formatVersion)}`);
  const entry = expectString(manifest.entry, 'manifest.entry', MAX_SPECIFIER_LENGTH);
  const exportName = expectString(manifest.exportName, 'manifest.exportName', MAX_NAME_LENGTH);
  const totalSize = expectSize(manifest.totalSize, 'manifest.totalSize');
  const sdkVersion = expectString(manifest.sdkVersion, 'manifest.sdkVersion', MAX_NAME_LENGTH);
  if (!Array.isArray(manifest.modules) || manifest.modules.length === 0) fail('manifest.modules must be a non-empty array');

  const paths = new Set<string>();
  const rawModules: Array<{ path: string; size: number; sha256: string; imports: Record<string, unknown> }> = [];
  for (const [index, raw] of (manifest.modules as unknown[]).entries()) {
    const module = expectKeys(raw, ['path', 'size', 'sha256', 'imports'], `manifest.modules[${index}]`);
    const path = module.path;
    if (typeof path !== 'string' || !isValidModulePath(path)) fail(`manifest.modules[${index}].path is not a valid module path`);
    if (paths.has(path)) fail(`module '${path}' is listed twice`);
    paths.add(path);
    const sha256 = module.sha256;
    if (typeof sha256 !== 'string' || !HEX_SHA256.test(sha256)) fail(`sha256 of '${path}' must be a lower-case hex SHA-256`);
    if (!isRecord(module.imports)) fail(`imports of '${path}' must be an object`);
    rawModules.push({ path, size: expectSize(module.size, `size of '${path}'`), sha256, imports: module.imports });
  }
  if (!paths.has(entry)) fail(`entry '${entry}' is not one of the modules`);
  const wasm = validateWasmList(manifest.wasm, pkg.wasm, paths);
  const wasmPaths = new Set(wasm?.files.map((file) => file.path));

  const modules: PackageModuleInfo[] = rawModules.map((module) => {
    const imports: Record<string, string> = {};
    for (const [specifier, target] of Object.entries(module.imports)) {
      expectString(specifier, `an import specifier of '${module.path}'`, MAX_SPECIFIER_LENGTH);
      if (typeof target !== 'string') fail(`import '${specifier}' of '${module.path}' must map to a string`);
      if (target.startsWith(EDGE_MODULE_PREFIX)) {
        if (!isValidEdgeName(target.slice(EDGE_MODULE_PREFIX.length))) {
          fail(
            `import '${specifier}' of '${module.path}' maps to '${target.slice(0, 80)}', which is not a valid edge module name ` +
              `(/-separated segments of letters, digits, @ _ - and ., none empty or starting with '.')`,
          );
        }
      } else if (!paths.has(target) && !wasmPaths.has(target)) {
        fail(`import '${specifier}' of '${module.path}' maps to '${target}', which is not in the package`);
      }
      Object.defineProperty(imports, specifier, { value: target, enumerable: true, writable: true, configurable: true });
    }
    return { path: module.path, size: module.size, sha256: module.sha256, imports };
  });

  if (!isRecord(pkg.sources)) fail('sources must be an object');
  const sourceRecord = pkg.sources;
  const sources: Record<string, string> = {};
  for (const path of Object.keys(sourceRecord)) {
    if (!paths.has(path)) fail(`source '${path}' has no module in the manifest`);
  }
  for (const path of paths) {
    const source = Object.hasOwn(sourceRecord, path) ? sourceRecord[path] : undefined;
    if (typeof source !== 'string') fail(`source of '${path}' is missing or not a string`);
    sources[path] = source;
  }
  const base = { formatVersion: 1 as const, entry, exportName, modules, totalSize, sdkVersion };
  if (wasm === undefined) return { id, manifest: base, sources };
  return { id, manifest: { ...base, wasm: wasm.files }, sources, wasm: wasm.binaries };
}

/**
 * The manifest's `wasm` list and the package's base64 binaries: both absent, or both present with exactly the
 * same paths (valid `.wasm` paths, none also a module). Sizes and hashes are checked by `verifyPackage`.
 */
function validateWasmList(
  listed: unknown,
  binaries: unknown,
  modulePaths: ReadonlySet<string>,
): { files: PackageWasmInfo[]; binaries: Record<string, string> } | undefined {
  if (listed === undefined && binaries === undefined) return undefined;
  if (!Array.isArray(listed) || listed.length === 0) fail('manifest.wasm must be a non-empty array when the package has wasm');
  if (!isRecord(binaries)) fail('wasm must be an object when the manifest lists wasm');
  const files: PackageWasmInfo[] = [];
  const out: Record<string, string> = {};
  for (const [index, raw] of (listed as unknown[]).entries()) {
    const file = expectKeys(raw, ['path', 'size', 'sha256'], `manifest.wasm[${index}]`);
    const path = file.path;
    if (typeof path !== 'string' || !isValidWasmPath(path)) fail(`manifest.wasm[${index}].path is not a valid .wasm path`);
    if (modulePaths.has(path) || Object.hasOwn(out, path)) fail(`wasm '${path}' is listed twice`);
    const sha256 = file.sha256;
    if (typeof sha256 !== 'string' || !HEX_SHA256.test(sha256)) fail(`sha256 of '${path}' must be a lower-case hex SHA-256`);
    const binary = Object.hasOwn(binaries, path) ? binaries[path] : undefined;
    if (typeof binary !== 'string') fail(`the binary of '${path}' is missing or not a base64 string`);
    files.push({ path, size: expectSize(file.size, `size of '${path}'`), sha256 });
    Object.defineProperty(out, path, { value: binary, enumerable: true, writable: true, configurable: true });
  }
  for (const path of Object.keys(binaries)) {
    if (!Object.hasOwn(out, path)) fail(`wasm binary '${path}' has no entry in manifest.wasm`);
  }
  return { files, binaries: out };
}
