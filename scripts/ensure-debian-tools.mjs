// Makes sure the programs the tests drive are installed, from Debian's packages only (nothing else is downloaded):
// Chromium for the browser tests, redis-server for cluster mode, espeak-ng and sox to make real speech for the
// audio-model tests. Installs what is missing with apt-get when we are root; otherwise stops with one line that
// says how.
//   node scripts/ensure-debian-tools.mjs            every tool below
//   node scripts/ensure-debian-tools.mjs chromium   only the tools named
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** name -> the binary the tests run, the Debian package that provides it, and the packages installed with it. */
const TOOLS = {
  chromium: { path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', packages: ['chromium', 'fonts-liberation'] },
  'redis-server': { path: '/usr/bin/redis-server', packages: ['redis-server'] },
  'espeak-ng': { path: '/usr/bin/espeak-ng', packages: ['espeak-ng'] },
  sox: { path: '/usr/bin/sox', packages: ['sox'] },
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in TOOLS));
if (unknown.length > 0) {
  console.error(`unknown tool(s): ${unknown.join(', ')}; known: ${Object.keys(TOOLS).join(', ')}`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(TOOLS);
const missing = names.filter((name) => !existsSync(TOOLS[name].path));
if (missing.length === 0) process.exit(0);

const packages = missing.flatMap((name) => TOOLS[name].packages);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !existsSync('/usr/bin/apt-get')) {
  console.error(`missing for the tests: ${missing.join(', ')}; run "sudo apt-get install -y ${packages.join(' ')}", then npm test again.`);
  process.exit(1);
}
console.log(`missing for the tests: ${missing.join(', ')}; installing Debian's ${packages.join(' ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
const stillMissing = missing.filter((name) => !existsSync(TOOLS[name].path));
if (stillMissing.length > 0) {
  console.error(`apt-get finished but ${stillMissing.map((name) => TOOLS[name].path).join(', ')} still missing; install by hand.`);
  process.exit(1);
}
