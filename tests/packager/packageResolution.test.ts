import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFile } from '@remotemedia/browser-sdk/node';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { verifyPackage } from '@remotemedia/shared/package';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { ErrorCode } from '@remotemedia/shared/errors';
import { copyFixture, installPackages, makeTempDir, removeTempDirs } from '../fixtures/packager/fixtureTree.ts';

const EDGE_MODULES = { '@remotemedia/shared': 'edge:shared' };

describe('bare specifiers resolved from node_modules', () => {
  let dir: string;
  let pkg: NodePackage;

  beforeAll(async () => {
    dir = await makeTempDir();
    await copyFixture('app', join(dir, 'app'));
    // Installed two levels above the entry: found by walking up from the importer.
    await installPackages(dir, ['esm-pkg', 'dep-pkg', '@scope/util', 'cjs-pkg']);
    pkg = await packFile(join(dir, 'app', 'src', 'entry.js'), 'Greeter', { edgeModules: EDGE_MODULES });
  });
  afterAll(removeTempDirs);

  it('packs the ES modules of the packages under node_modules/<name>/', () => {
    expect(pkg.manifest.modules.map((module) => module.path)).toEqual([
      'entry.js',
      'node_modules/@scope/util/esm/index.js',
      'node_modules/dep-pkg/index.js',
      'node_modules/esm-pkg/dist/feature.js',
      'node_modules/esm-pkg/dist/index.js',
      'node_modules/esm-pkg/dist/shared.js',
    ]);
  });

  it('uses the exports map (import condition, subpaths), the module field, and walks up for nested dependencies', () => {
    const imports = Object.fromEntries(pkg.manifest.modules.map((module) => [module.path, module.imports]));
    expect(imports['entry.js']).toEqual({
      'esm-pkg': 'node_modules/esm-pkg/dist/index.js',
      'esm-pkg/feature': 'node_modules/esm-pkg/dist/feature.js',
      '@scope/util': 'node_modules/@scope/util/esm/index.js',
      '@remotemedia/shared': 'edge:shared',
    });
    expect(imports['node_modules/esm-pkg/dist/index.js']).toEqual({
      './shared.js': 'node_modules/esm-pkg/dist/shared.js',
      'dep-pkg': 'node_modules/dep-pkg/index.js',
    });
  });

  it('never packs the CommonJS builds next to the ES ones', () => {
    expect(Object.keys(pkg.sources).some((path) => path.endsWith('.cjs'))).toBe(false);
    expect(pkg.sources['node_modules/esm-pkg/dist/index.js']).toContain('export function greet');
  });

  it('maps edge modules to edge: targets without packing them', () => {
    expect(Object.keys(pkg.sources).some((path) => path.includes('remotemedia'))).toBe(false);
  });

  it('produces a package verifyPackage accepts', async () => {
    await expect(verifyPackage(pkg)).resolves.toEqual(pkg);
  });

  it('accepts edge module names with or without the edge: prefix', async () => {
    const short = await packFile(join(dir, 'app', 'src', 'entry.js'), 'Greeter', { edgeModules: { '@remotemedia/shared': 'shared' } });
    expect(short.id).toBe(pkg.id);
  });

  it('refuses a package that is CommonJS, printing the import chain', async () => {
    const error = await packFile(join(dir, 'app', 'src', 'usesCjs.js'), 'Legacy').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCode.UnresolvableImport });
    expect((error as Error).message).toContain('CommonJS');
    expect((error as Error).message).toContain('usesCjs.js -> cjs-pkg/index.js');
  });

  it('refuses a subpath the package does not export', async () => {
    const error = await packFile(join(dir, 'app', 'src', 'usesSecret.js'), 'Secret').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCode.UnresolvableImport });
    expect((error as Error).message).toContain("does not export './dist/secret.js'");
    expect((error as Error).message).toContain("usesSecret.js -> 'esm-pkg/dist/secret.js'");
  });

  it('maps @remotemedia/shared to the edge by default', async () => {
    const pkg = await packFile(join(dir, 'app', 'src', 'entry.js'), 'Greeter');
    const entry = pkg.manifest.modules.find((m) => m.path === pkg.manifest.entry)!;
    expect(entry.imports['@remotemedia/shared']).toBe('edge:shared');
  });

  it('fails without the edge mapping when the package is not installed', async () => {
    const error = await packFile(join(dir, 'app', 'src', 'entry.js'), 'Greeter', { edgeModules: {} }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCode.UnresolvableImport });
    expect((error as Error).message).toContain("entry.js -> '@remotemedia/shared'");
    expect((error as Error).message).toContain('edgeModules');
  });

  it('stores a second copy of a package under a versioned name', async () => {
    const nested = await readFile(join(dir, 'node_modules', 'dep-pkg', 'index.js'), 'utf8');
    const sources = {
      'main.js': "import { pad } from 'dep-pkg';\nimport { other } from 'wrapper';\nexport const node = pad + other;\n",
      'node_modules/dep-pkg/package.json': JSON.stringify({ name: 'dep-pkg', version: '0.4.0' }),
      'node_modules/dep-pkg/index.js': nested,
      'node_modules/wrapper/package.json': JSON.stringify({ name: 'wrapper', version: '1.0.0', exports: './index.js' }),
      'node_modules/wrapper/index.js': "export { pad as other } from 'dep-pkg';\n",
      'node_modules/wrapper/node_modules/dep-pkg/package.json': JSON.stringify({ name: 'dep-pkg', version: '9.0.0' }),
      'node_modules/wrapper/node_modules/dep-pkg/index.js': 'export const pad = 9;\n',
    };
    const packed = await packSources({ sources, entry: 'main.js', exportName: 'node' });
    expect(packed.manifest.modules.map((module) => module.path)).toEqual([
      'main.js',
      'node_modules/dep-pkg/index.js',
      'node_modules/dep-pkg@9.0.0/index.js',
      'node_modules/wrapper/index.js',
    ]);
    expect(packed.manifest.modules.find((module) => module.path === 'node_modules/wrapper/index.js')?.imports).toEqual({
      'dep-pkg': 'node_modules/dep-pkg@9.0.0/index.js',
    });
  });
});
