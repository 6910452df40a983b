import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/edgeProcess.ts';

const run = promisify(execFile);

/** The packages a user installs, in the order they depend on each other. */
export const PUBLISHED_PACKAGES = ['@remotemedia/shared', '@remotemedia/browser-sdk', '@remotemedia/edge-server'] as const;

export interface ScratchApp {
  /** The app's folder, in the system's temp dir: nothing above it is this repository. */
  dir: string;
  /** The `npm pack` tarballs the app installed, by package name. */
  tarballs: Record<string, string>;
  /** The installed copy of a package (its folder under the app's node_modules). */
  installed(name: string): string;
  /** Deletes the app, its tarballs and everything installed. */
  remove(): void;
}

/**
 * The environment for npm and node run on the app's behalf: without the npm_* variables of an outer `npm run`
 * (they name this repository as the project) and without NODE_OPTIONS, so the app resolves nothing from here.
 */
export function outsideEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE_OPTIONS'));
}

/**
 * Packs every published package with `npm pack` (from what `npm run build` made: `--ignore-scripts` skips the
 * prepack rebuild), writes `files` into a fresh app folder outside the repository, and installs the tarballs
 * there with npm, their own dependencies from the npm cache (the registry only for what the cache lacks).
 * `devDependencies` are versions this repository already uses (so they are in the cache too).
 */
export async function createScratchApp(files: Record<string, string>, devDependencies: Record<string, string>): Promise<ScratchApp> {
  const root = mkdtempSync(join(tmpdir(), 'remotemedia-scratch-'));
  const tarballDir = join(root, 'tarballs');
  mkdirSync(tarballDir);
  const workspaces = PUBLISHED_PACKAGES.flatMap((name) => ['--workspace', name]);
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tarballDir, ...workspaces], {
    cwd: repoRoot,
    env: outsideEnv(),
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const tarballs = Object.fromEntries(
    (JSON.parse(packed.stdout) as Array<{ name: string; filename: string }>).map((p) => [p.name, join(tarballDir, p.filename)]),
  );

  const dir = join(root, 'app');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const manifest = {
    name: 'remotemedia-scratch-app',
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(PUBLISHED_PACKAGES.map((name) => [name, `file:${tarballs[name]}`])),
    devDependencies,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // No install scripts: nothing the app needs has one that matters (esbuild's only checks its binary).
  await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    env: outsideEnv(),
    timeout: 180_000,
  });
  return { dir, tarballs, installed: (name) => join(dir, 'node_modules', name), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A devDependency at the version this repository's root package.json pins. */
export function repositoryVersion(name: string): string {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = manifest.devDependencies[name];
  if (version === undefined) throw new Error(`the root package.json has no devDependency ${name}`);
  return version;
}
