// Makes sure the browser tests have a Chromium: Debian's /usr/bin/chromium (nothing downloads a browser).
// Installs it with apt when missing and we are root; otherwise stops with one line that says how.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(`Chromium not found at ${path}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then npm test again.`);
  process.exit(1);
}
console.log(`Chromium not found at ${path}; installing Debian's chromium with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-liberation'], { stdio: 'inherit', env });
if (!existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing; install chromium by hand and set CHROMIUM_PATH.`);
  process.exit(1);
}
