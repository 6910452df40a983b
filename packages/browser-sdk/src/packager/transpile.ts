import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { loadTypeScriptTransform } from './loadTypeScriptTransform.ts';

/**
 * TypeScript -> JavaScript for the packager (see typescriptTransform.ts for what is kept and dropped). The
 * transform loads on first use; a failure to load it or to compile is a CompileError.
 */
export async function transpileTypeScript(source: string, displayName: string): Promise<string> {
  let transform;
  try {
    transform = await loadTypeScriptTransform();
  } catch (error) {
    if (error instanceof RemoteMediaError) throw error;
    throw new RemoteMediaError(
      ErrorCode.CompileError,
      `Cannot compile ${displayName}: the TypeScript transform did not load (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  try {
    return transform.stripTypes(source, displayName);
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.CompileError, `Cannot compile ${displayName}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
