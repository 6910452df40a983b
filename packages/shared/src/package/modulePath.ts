/**
 * Module paths inside a package: relative to the package root, `/`-separated, no leading `./`, and
 * ending in a JavaScript or TypeScript extension. The same rules are checked when packing and again
 * by `verifyPackage`, so a path the packer emits is always one the edge accepts.
 */
const MODULE_PATH_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** Long enough for deep node_modules trees, short enough that a hostile manifest cannot waste memory. */
export const MAX_MODULE_PATH_LENGTH = 1024;

export function isValidModulePath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_MODULE_PATH_LENGTH) return false;
  // `:` is reserved so a path can never be mistaken for an `edge:` target (or a drive letter).
  if (/[\\:\0]/.test(path) || path.startsWith('/')) return false;
  if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return false;
  return MODULE_PATH_EXTENSIONS.some((extension) => path.endsWith(extension));
}

/** Path of a WebAssembly binary inside a package: the same rules, ending in `.wasm`. */
export function isValidWasmPath(path: string): boolean {
  return path.endsWith('.wasm') && isValidModulePath(`${path.slice(0, -'.wasm'.length)}.js`);
}
