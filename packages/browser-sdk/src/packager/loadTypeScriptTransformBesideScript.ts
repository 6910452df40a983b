import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { TypeScriptTransformModule } from './loadTypeScriptTransform.ts';
import { TYPESCRIPT_TRANSFORM_FILE } from './typescriptTransformFile.ts';

// Read while the script runs: document.currentScript is only set during a classic script's first evaluation.
const scriptUrl = typeof document === 'undefined' ? undefined : (document.currentScript as HTMLScriptElement | null)?.src || undefined;

/**
 * loadTypeScriptTransform for the script-tag (IIFE) build, which cannot split chunks: the transform is the ESM
 * build's chunk, imported from the directory `remotemedia.iife.js` was loaded from (the edge serves both at
 * /sdk/, to any origin), so a page that packs only JavaScript loads the core script alone.
 */
export function loadTypeScriptTransform(): Promise<TypeScriptTransformModule> {
  if (scriptUrl === undefined) {
    return Promise.reject(
      new RemoteMediaError(
        ErrorCode.CompileError,
        `Cannot compile TypeScript: the script-tag build loads its TypeScript transform (${TYPESCRIPT_TRANSFORM_FILE}) from beside ` +
          'remotemedia.iife.js, and this copy was not loaded from a URL (inline or in a worker). Load it with <script src>, ' +
          'use the ESM build, or pack JavaScript sources.',
      ),
    );
  }
  return import(/* @vite-ignore */ new URL(TYPESCRIPT_TRANSFORM_FILE, scriptUrl).href) as Promise<TypeScriptTransformModule>;
}
