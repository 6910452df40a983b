// The browser tests load what `npm run build` produces: the demo the edge serves, the SDK bundles it serves at
// /sdk/, and (the packaging tests) every package's dist/. The build gate of `npm test` has just made them; run
// on their own, the tests build first when an output is missing or older than a source it is built from.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs', 'browser tests'], { cwd: root, stdio: 'inherit' });
}
