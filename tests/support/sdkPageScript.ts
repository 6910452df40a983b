import { build } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from './edgeProcess.ts';

let bundled: Promise<string> | undefined;

/**
 * The browser SDK as one classic script that sets `window.RemoteMedia`, bundled here with esbuild and kept
 * in memory. Tests inject it with `page.addScriptTag({ content })`, so they neither need nor touch the
 * SDK build in packages/browser-sdk/dist, which other test files build and empty while they run.
 */
export function sdkPageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [join(repoRoot, 'packages/browser-sdk/src/index.ts')],
    // The workspace packages from their sources, as everywhere in the tests.
    conditions: ['@remotemedia/source'],
    bundle: true,
    format: 'iife',
    globalName: 'RemoteMedia',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}
