import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './edgeProcess.ts';

/** The installed werift package directory (the one the root postinstall patches). */
export const installedWeriftDir = join(repoRoot, 'node_modules', 'werift');

export const WERIFT_MARKER = '// remotemedia-werift-patch ';

/**
 * Unpacks the installed werift version as published, from npm's cache (nothing is downloaded: `npm ci`
 * put the tarball there), into a temp directory, and returns the package directory. The temp directory
 * gets a `node_modules` link to the repo's, so the copy's own imports (debug, @noble/curves, ...) resolve.
 */
export function unpackPristineWerift(): string {
  const { version } = JSON.parse(readFileSync(join(installedWeriftDir, 'package.json'), 'utf8')) as { version: string };
  const dir = mkdtempSync(join(tmpdir(), 'werift-pristine-'));
  const tarball = execFileSync('npm', ['pack', `werift@${version}`, '--offline', '--silent', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir]);
  renameSync(join(dir, 'package'), join(dir, 'werift'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const weriftDir = join(dir, 'werift');
  if (readFileSync(join(weriftDir, 'lib', 'index.mjs'), 'utf8').startsWith(WERIFT_MARKER)) {
    throw new Error(`npm's cached werift@${version} is patched; that copy cannot serve as the pristine one`);
  }
  return weriftDir;
}
