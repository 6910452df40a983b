import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The demo page `remotemedia-edge serve` answers at `/`. `npm run build` writes it into this package's `demo/`,
 * which ships with the package, so an installed edge serves it too. src/http/ and dist/http/ sit at the same
 * depth, so the path holds from the sources and from the build alike.
 */
export function demoDir(): string {
  return fileURLToPath(new URL('../../demo', import.meta.url));
}

/**
 * The SDK's browser bundles (ESM with its chunks, the script-tag IIFE, the .d.ts), answered at `/sdk/`: taken
 * from the installed `@remotemedia/browser-sdk`, so the edge serves exactly the SDK version it depends on.
 */
export function sdkBundleDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@remotemedia/browser-sdk/package.json');
  return join(dirname(manifest), 'dist', 'bundle');
}
