import { transform } from 'sucrase';

/**
 * TypeScript -> JavaScript with sucrase: small enough to ship to the browser, handles enums and
 * parameter properties, and keeps line numbers, so sandbox stack traces point at the user's own lines.
 *
 * ES syntax and `import`/`export` are left as written (the edge's QuickJS runs ES2023 modules).
 * Imports only used as types are dropped, as `tsc` and esbuild do by default: a module holding only
 * interfaces would otherwise be imported for names it does not export at run time.
 *
 * This module is loaded on demand (see loadTypeScriptTransform), and is most of the SDK's size: it imports
 * nothing of the SDK, so the script-tag build can load the very same file the ESM build splits off.
 */
export function stripTypes(source: string, filePath: string): string {
  return transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    preserveDynamicImport: true,
    filePath,
  }).code;
}
