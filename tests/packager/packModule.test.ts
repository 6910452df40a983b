import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSourceReader, packFile } from '@remotemedia/browser-sdk/node';
import { packModule, packSources } from '@remotemedia/browser-sdk/packager';
import { verifyPackage } from '@remotemedia/shared/package';
import { SDK_VERSION } from '@remotemedia/browser-sdk';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { copyFixture, FIXTURES_DIR, makeTempDir, readTree, removeTempDirs } from '../fixtures/packager/fixtureTree.ts';

const BASIC_MODULES = [
  'lib/a.ts',
  'lib/c/index.js',
  'lib/cycle/ping.ts',
  'lib/cycle/pong.ts',
  'lib/deep/b.js',
  'lib/deep/version.js',
  'lib/describe.ts',
  'lib/extra.ts',
  'lib/mode.ts',
  'lib/util/index.ts',
  'main.ts',
];

const BASIC_IMPORTS: Record<string, Record<string, string>> = {
  'main.ts': {
    './lib/a.js': 'lib/a.ts',
    './lib/mode.js': 'lib/mode.ts',
    './lib/describe.js': 'lib/describe.ts',
    './lib/extra.js': 'lib/extra.ts',
  },
  'lib/a.ts': { './deep/b.js': 'lib/deep/b.js', './util': 'lib/util/index.ts', './cycle/ping.js': 'lib/cycle/ping.ts' },
  'lib/deep/b.js': { '../c/index.js': 'lib/c/index.js', './version.js?v=2': 'lib/deep/version.js' },
  'lib/c/index.js': { '../deep/version.js': 'lib/deep/version.js' },
  'lib/deep/version.js': {},
  'lib/cycle/ping.ts': { './pong.js': 'lib/cycle/pong.ts' },
  'lib/cycle/pong.ts': { './ping.js': 'lib/cycle/ping.ts' },
  'lib/describe.ts': {},
  'lib/extra.ts': {},
  'lib/mode.ts': {},
  'lib/util/index.ts': {},
};

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An independent canonical JSON (sorted keys, no spaces) to check the id against. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('packModule on a local module tree', () => {
  let dir: string;
  let pkg: NodePackage;

  beforeAll(async () => {
    dir = join(await makeTempDir(), 'project');
    await copyFixture('basic', dir);
    pkg = await packFile(join(dir, 'main.ts'), 'Scaler');
  });
  afterAll(removeTempDirs);

  it('packs exactly the modules the entry reaches, sorted by path', () => {
    expect(pkg.manifest.modules.map((module) => module.path)).toEqual(BASIC_MODULES);
    expect(Object.keys(pkg.sources)).toEqual(BASIC_MODULES);
  });

  it('does not follow type-only imports or pack declaration files', () => {
    expect(pkg.sources['types.ts']).toBeUndefined();
    expect(pkg.sources['lib/deep/b.d.ts']).toBeUndefined();
    expect(pkg.manifest.modules.find((module) => module.path === 'lib/describe.ts')?.imports).toEqual({});
  });

  it('records every specifier as written with the stored path it resolves to', () => {
    const imports = Object.fromEntries(pkg.manifest.modules.map((module) => [module.path, module.imports]));
    expect(imports).toEqual(BASIC_IMPORTS);
  });

  it('stores JavaScript: TypeScript is transpiled (enums included), JavaScript is kept byte for byte', async () => {
    const mode = pkg.sources['lib/mode.ts'] ?? '';
    expect(mode).toContain('Mode[Mode["Fast"] = Fast] = "Fast"');
    expect(mode).not.toContain('enum');
    const main = pkg.sources['main.ts'] ?? '';
    expect(main).not.toMatch(/: number|import type|: Mode/);
    expect(main).toContain("import('./lib/extra.js')");
    for (const path of ['lib/deep/b.js', 'lib/c/index.js', 'lib/deep/version.js']) {
      expect(pkg.sources[path]).toBe(await readFile(join(dir, path), 'utf8'));
    }
  });

  it('keeps line numbers of TypeScript sources, so stack traces point at the written lines', async () => {
    const original = await readFile(join(dir, 'main.ts'), 'utf8');
    const shipped = pkg.sources['main.ts'] ?? '';
    const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;
    expect(lineOf(shipped, 'return scale(')).toBe(lineOf(original, 'return scale('));
  });

  it('measures and hashes every source', () => {
    let total = 0;
    for (const module of pkg.manifest.modules) {
      const source = pkg.sources[module.path] ?? '';
      expect(module.size).toBe(Buffer.byteLength(source, 'utf8'));
      expect(module.sha256).toBe(sha256(source));
      total += module.size;
    }
    expect(pkg.manifest.totalSize).toBe(total);
  });

  it('has the NodePackage structure, with the id hashing the canonical manifest', () => {
    expect(Object.keys(pkg).sort()).toEqual(['id', 'manifest', 'sources']);
    expect(pkg.manifest).toMatchObject({ formatVersion: 1, entry: 'main.ts', exportName: 'Scaler', sdkVersion: SDK_VERSION });
    expect(pkg.id).toMatch(/^[0-9a-f]{64}$/);
    expect(pkg.id).toBe(sha256(canonical(pkg.manifest)));
  });

  it('passes verifyPackage', async () => {
    await expect(verifyPackage(pkg)).resolves.toEqual(pkg);
  });

  it('gives the same id and package for the same tree at another location', async () => {
    const elsewhere = join(await makeTempDir(), 'deeper', 'copy of project');
    await copyFixture('basic', elsewhere);
    const again = await packFile(join(elsewhere, 'main.ts'), 'Scaler');
    expect(again.id).toBe(pkg.id);
    expect(again).toEqual(pkg);
  });

  it('gives the same id when packed from memory, with Windows-style paths', async () => {
    const tree = await readTree(join(FIXTURES_DIR, 'basic'));
    const windowsStyle = Object.fromEntries(Object.entries(tree).map(([path, source]) => [path.replaceAll('/', '\\'), source]));
    const fromMemory = await packSources({ sources: windowsStyle, entry: 'main.ts', exportName: 'Scaler' });
    expect(fromMemory).toEqual(pkg);
  });

  it('accepts a file: URL entry with an explicit reader', async () => {
    const viaUrl = await packModule(pathToFileURL(join(dir, 'main.ts')), 'Scaler', { reader: new FsSourceReader() });
    expect(viaUrl.id).toBe(pkg.id);
  });

  it('makes paths relative to an explicit root', async () => {
    const rooted = await packFile(join(dir, 'lib', 'a.ts'), 'scale', { root: dir });
    expect(rooted.manifest.entry).toBe('lib/a.ts');
    const relativeToEntry = await packFile(join(dir, 'lib', 'a.ts'), 'scale');
    expect(relativeToEntry.manifest.entry).toBe('a.ts');
    expect(relativeToEntry.manifest.modules.map((module) => module.path)).toContain('cycle/ping.ts');
  });

  it('finds names exported through export * (here from a cycle)', async () => {
    const viaStar = await packFile(join(dir, 'lib', 'a.ts'), 'ping');
    expect(viaStar.manifest.exportName).toBe('ping');
  });

  it('changes the id when any source changes', async () => {
    const tree = await readTree(join(FIXTURES_DIR, 'basic'));
    tree['lib/c/index.js'] = `${tree['lib/c/index.js'] ?? ''}\n// edited\n`;
    const edited = await packSources({ sources: tree, entry: 'main.ts', exportName: 'Scaler' });
    expect(edited.id).not.toBe(pkg.id);
  });

  it('stamps a given sdkVersion into the manifest (and the id)', async () => {
    const stamped = await packFile(join(dir, 'main.ts'), 'Scaler', { sdkVersion: '9.9.9' });
    expect(stamped.manifest.sdkVersion).toBe('9.9.9');
    expect(stamped.id).not.toBe(pkg.id);
  });
});

describe('FsSourceReader', () => {
  it('reads files, and treats missing files, folders and non-file URLs as not found', async () => {
    const reader = new FsSourceReader();
    await expect(reader.read(pathToFileURL(join(FIXTURES_DIR, 'basic', 'lib', 'extra.ts')))).resolves.toContain('return 42');
    await expect(reader.read(pathToFileURL(join(FIXTURES_DIR, 'basic', 'nope.ts')))).resolves.toBeUndefined();
    await expect(reader.read(pathToFileURL(join(FIXTURES_DIR, 'basic', 'lib')))).resolves.toBeUndefined();
    await expect(reader.read(new URL('https://example.invalid/a.js'))).resolves.toBeUndefined();
  });
});
