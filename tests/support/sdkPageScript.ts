import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from './edgeProcess.ts';

const bundled = new Map<'iife' | 'esm', Promise<string>>();

function bundle(format: 'iife' | 'esm'): Promise<string> {
  let text = bundled.get(format);
  if (text === undefined) {
    text = build({
      entryPoints: [join(repoRoot, 'packages/browser-sdk/src/index.ts')],
      // The workspace packages from their sources, as everywhere in the tests.
      conditions: ['@remotemedia/source'],
      bundle: true,
      format,
      ...(format === 'iife' ? { globalName: 'RemoteMedia' } : {}),
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    }).then((result) => result.outputFiles[0]!.text);
    bundled.set(format, text);
  }
  return text;
}

/**
 * The browser SDK as one classic script that sets `window.RemoteMedia`, bundled here with esbuild and kept
 * in memory. Tests inject it with `page.addScriptTag({ content })`, so they neither need nor touch the
 * SDK build in packages/browser-sdk/dist, which other test files build and empty while they run.
 */
export function sdkPageScript(): Promise<string> {
  return bundle('iife');
}

/** The browser SDK as one ES module: what an app's bundler makes of `import ... from '@remotemedia/browser-sdk'`. */
export function sdkModuleScript(): Promise<string> {
  return bundle('esm');
}
