import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import type { SandboxTesting } from './NodeDriver.ts';

/**
 * The edge package is an optional peer of the SDK: apps that never test in the sandbox do not install QuickJS,
 * esbuild and the edge. A specifier held in a variable keeps TypeScript and bundlers from resolving it ahead of
 * time (the edge depends on the SDK, so a static import would make the two packages import each other).
 */
const EDGE_TESTING = '@remotemedia/edge-server/testing';

let loaded: Promise<SandboxTesting> | undefined;

export function loadSandboxTesting(): Promise<SandboxTesting> {
  loaded ??= (import(EDGE_TESTING) as Promise<SandboxTesting>).catch((error: unknown) => {
    loaded = undefined;
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `runNode(..., { sandbox: true }) runs the edge's QuickJS sandbox, which comes with ${EDGE_TESTING.split('/testing')[0]}: ` +
          'install it (npm install --save-dev @remotemedia/edge-server), or pass { sandbox: false } to run the class in this process',
        { cause: error },
      );
    }
    throw error;
  });
  return loaded;
}
