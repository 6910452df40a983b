// The browser tests load what `npm run build` produces: the demo the edge serves and the SDK bundles (the IIFE
// also goes into demo/dist/sdk). The build gate of `npm test` has just made them; run on their own, the tests
// build first when an output is missing or older than a source it is built from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const OUTPUTS = [
  'demo/dist/index.html',
  'demo/dist/sdk/remotemedia.iife.js',
  'packages/browser-sdk/dist/remotemedia.js',
  'packages/browser-sdk/dist/remotemedia.d.ts',
];
const SOURCES = [
  'demo/src',
  'demo/index.html',
  'demo/public',
  'packages/browser-sdk/src',
  'packages/shared/src',
  'packages/browser-sdk/package.json',
  'packages/shared/package.json',
  'vite.config.ts',
  'packages/browser-sdk/vite.config.ts',
];

/** Newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the build must run again, or undefined when every output is newer than every source. */
function staleReason(): string | undefined {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing !== undefined) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const changed = SOURCES.find((source) => newest(join(root, source)) > built);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

export default function setup(): void {
  const reason = staleReason();
  if (reason === undefined) return;
  console.log(`[browser tests] ${reason}: running npm run build`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
