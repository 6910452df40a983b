import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packFile } from '@remotemedia/browser-sdk/node';
import { DEFAULT_MAX_PACKAGE_BYTES } from '@remotemedia/shared/package';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { copyFixture, FIXTURES_DIR, makeTempDir, removeTempDirs } from '../fixtures/packager/fixtureTree.ts';

async function failure(promise: Promise<unknown>): Promise<RemoteMediaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RemoteMediaError);
  return error as RemoteMediaError;
}

describe('packing errors', () => {
  afterAll(removeTempDirs);

  it('names the importer, line and specifier of a missing module', async () => {
    const error = await failure(packFile(join(FIXTURES_DIR, 'missing', 'entry.js'), 'Node'));
    expect(error.code).toBe(ErrorCode.ModuleNotFound);
    expect(error.message).toContain("Cannot find module './nope.js' imported from lib/helper.js:2");
    expect(error.message).toContain('lib/nope.ts');
    expect(error.message).toContain('Import chain: entry.js -> lib/helper.js');
  });

  it('reports a missing entry', async () => {
    const error = await failure(packFile(join(FIXTURES_DIR, 'missing', 'absent.js'), 'Node'));
    expect(error.code).toBe(ErrorCode.ModuleNotFound);
    expect(error.message).toContain('Entry module not found');
  });

  it('refuses a template-literal dynamic import, naming the module and line', async () => {
    const sources = {
      'entry.js': "import './lib/locale.js';\nexport class Node {}\n",
      'lib/locale.js': 'const locale = "en";\n\nexport const messages = import(`./locales/${locale}.js`);\n',
    };
    const error = await failure(packSources({ sources, entry: 'entry.js', exportName: 'Node' }));
    expect(error.code).toBe(ErrorCode.UnresolvableImport);
    expect(error.message).toContain('lib/locale.js:3');
    expect(error.message).toContain('import(`./locales/${locale}.js`)');
  });

  it('refuses any other computed dynamic import', async () => {
    const sources = { 'entry.ts': "const name: string = 'a';\nexport const Node = import('./' + name + '.js');\n" };
    const error = await failure(packSources({ sources, entry: 'entry.ts', exportName: 'Node' }));
    expect(error.code).toBe(ErrorCode.UnresolvableImport);
    expect(error.message).toContain('entry.ts:2');
  });

  it('prints the import chain of an unresolvable bare specifier', async () => {
    const dir = await makeTempDir();
    await copyFixture('bare', dir);
    const error = await failure(packFile(join(dir, 'entry.js'), 'Node'));
    expect(error.code).toBe(ErrorCode.UnresolvableImport);
    expect(error.message).toContain("Import chain: entry.js -> a.js -> b.js -> 'left-pad'");
    expect(error.message).toContain('b.js:1');
  });

  it('refuses Node built-ins and URL imports', async () => {
    const builtin = await failure(
      packSources({ sources: { 'a.js': "import fs from 'node:fs';\nexport const x = fs;\n" }, entry: 'a.js', exportName: 'x' }),
    );
    expect(builtin.code).toBe(ErrorCode.UnresolvableImport);
    expect(builtin.message).toContain("'node:fs'");
    const url = await failure(
      packSources({ sources: { 'a.js': "import x from 'https://cdn.example/x.js';\nexport { x };\n" }, entry: 'a.js', exportName: 'x' }),
    );
    expect(url.code).toBe(ErrorCode.UnresolvableImport);
  });

  it('refuses a package over the size limit, with sizes and the largest modules named', async () => {
    const sources = {
      'entry.js': "import './big.js';\nimport './medium.js';\nexport class Node {}\n",
      'big.js': `export const big = '${'x'.repeat(3000)}';\n`,
      'medium.js': `export const medium = '${'y'.repeat(1500)}';\n`,
    };
    const error = await failure(packSources({ sources, entry: 'entry.js', exportName: 'Node', maxPackageBytes: 4096 }));
    expect(error.code).toBe(ErrorCode.PackageTooLarge);
    expect(error.message).toContain('over the limit of 4096 bytes');
    expect(error.message).toMatch(/Largest modules: big\.js \(3023 bytes\), medium\.js \(1526 bytes\)/);
  });

  it('applies a 4 MiB default limit', async () => {
    expect(DEFAULT_MAX_PACKAGE_BYTES).toBe(4 * 1024 * 1024);
    const sources = { 'entry.js': `export const Node = '${'z'.repeat(DEFAULT_MAX_PACKAGE_BYTES)}';\n` };
    const error = await failure(packSources({ sources, entry: 'entry.js', exportName: 'Node' }));
    expect(error.code).toBe(ErrorCode.PackageTooLarge);
  });

  it('refuses an exportName the entry does not export, listing what it does export', async () => {
    const sources = { 'entry.ts': 'export class Scaler {}\nexport const helper = 1;\n' };
    const error = await failure(packSources({ sources, entry: 'entry.ts', exportName: 'Scalar' }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.message).toBe("entry.ts does not export 'Scalar' (it exports: Scaler, helper)");
  });

  it('reports TypeScript syntax errors as compile errors', async () => {
    const error = await failure(packSources({ sources: { 'entry.ts': 'export const x: = 1;\n' }, entry: 'entry.ts', exportName: 'x' }));
    expect(error.code).toBe(ErrorCode.CompileError);
    expect(error.message).toContain('entry.ts');
  });

  it('refuses CommonJS files imported by relative path', async () => {
    const sources = { 'entry.js': "import x from './legacy.cjs';\nexport { x };\n", 'legacy.cjs': 'module.exports = 1;\n' };
    const error = await failure(packSources({ sources, entry: 'entry.js', exportName: 'x' }));
    expect(error.code).toBe(ErrorCode.UnresolvableImport);
  });

  it('refuses source paths that leave the package', async () => {
    const error = await failure(packSources({ sources: { '../evil.js': 'export const x = 1;\n' }, entry: '../evil.js', exportName: 'x' }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
  });
});
