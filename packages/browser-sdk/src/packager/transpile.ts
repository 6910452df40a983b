import { transform } from 'sucrase';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';

/**
 * TypeScript -> JavaScript with sucrase: small enough to ship to the browser, handles enums and
 * parameter properties, and keeps line numbers, so sandbox stack traces point at the user's own lines.
 *
 * ES syntax and `import`/`export` are left as written (the edge's QuickJS runs ES2023 modules).
 * Imports only used as types are dropped, as `tsc` and esbuild do by default: a module holding only
 * interfaces would otherwise be imported for names it does not export at run time.
 */
export function transpileTypeScript(source: string, displayName: string): string {
  try {
    return transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      preserveDynamicImport: true,
      filePath: displayName,
    }).code;
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.CompileError, `Cannot compile ${displayName}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
