/**
 * `loadWasm('<relative path>.wasm'` calls in a module's JavaScript: the binaries the packager ships with it.
 * Only a literal relative path is found (as with `new URL('./x.wasm', import.meta.url)` in bundlers); a path
 * computed at run time cannot be packed and fails on the edge with MODULE_NOT_FOUND.
 */
const LOAD_WASM_CALL = /\bloadWasm\s*\(\s*(['"])(\.{1,2}\/[^'"\n\\]*?\.wasm)\1/g;

export function findWasmReferences(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(LOAD_WASM_CALL)) found.add(match[2]!);
  return [...found];
}
