// Runs `npm run build` unless everything it makes is newer than everything it is made from: `npm start` (its
// prestart) and the browser tests (their global setup) call this, so a second start does not rebuild.
//   node scripts/build-if-stale.mjs [label]     label prefixes the one line saying why it builds
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What `npm run build` makes: the demo the edge serves, the SDK bundles it serves at /sdk/, each package's dist/, the guest bundle. */
const OUTPUTS = [
  'packages/edge-server/demo/index.html',
  'packages/browser-sdk/dist/bundle/remotemedia.js',
  'packages/browser-sdk/dist/bundle/remotemedia.iife.js',
  'packages/browser-sdk/dist/bundle/remotemedia-typescript.js',
  'packages/browser-sdk/dist/bundle/remotemedia.d.ts',
  'packages/shared/dist/index.js',
  'packages/browser-sdk/dist/index.js',
  'packages/edge-server/dist/cli.js',
  'packages/edge-server/dist/guest-bundle.json',
];
/** What it makes them from (the bundles include dependencies: the lockfile stands for them). */
const SOURCES = [
  'demo/src',
  'demo/index.html',
  'demo/public',
  'packages/shared/src',
  'packages/browser-sdk/src',
  'packages/edge-server/src',
  'packages/shared/package.json',
  'packages/browser-sdk/package.json',
  'packages/edge-server/package.json',
  'packages/shared/tsconfig.build.json',
  'packages/browser-sdk/tsconfig.build.json',
  'packages/edge-server/tsconfig.build.json',
  'packages/browser-sdk/vite.config.ts',
  'scripts/build-packages.mjs',
  'tsconfig.base.json',
  'vite.config.ts',
  'package-lock.json',
];

/** Newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Why the build must run again, or undefined when every output is newer than every source. */
function staleReason() {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing !== undefined) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const changed = SOURCES.find((source) => newest(join(root, source)) > built);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

const reason = staleReason();
if (reason !== undefined) {
  console.log(`[${process.argv[2] ?? 'build'}] ${reason}: running npm run build`);
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
