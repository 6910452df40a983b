/** What the on-demand TypeScript transform module exports. */
export type TypeScriptTransformModule = typeof import('./typescriptTransform.ts');

/**
 * The TypeScript transform, loaded the first time a TypeScript source is packed: bundlers (Vite, Rollup,
 * esbuild, webpack) split it into a chunk of its own, so a page that packs only JavaScript never loads it.
 * The script-tag build replaces this module with loadTypeScriptTransformBesideScript.ts.
 */
export function loadTypeScriptTransform(): Promise<TypeScriptTransformModule> {
  return import('./typescriptTransform.ts');
}
