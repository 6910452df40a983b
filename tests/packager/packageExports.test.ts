import { describe, expect, it } from 'vitest';
import { resolvePackageExports, parseBareSpecifier, resolveImportMap } from '@remotemedia/browser-sdk/packager';

describe('resolvePackageExports', () => {
  it('takes a string or a condition object as the "." export', () => {
    expect(resolvePackageExports('./index.js', '.')).toBe('./index.js');
    expect(resolvePackageExports({ require: './a.cjs', import: './a.js' }, '.')).toBe('./a.js');
    expect(resolvePackageExports({ types: './a.d.ts', default: './a.js' }, '.')).toBe('./a.js');
  });

  it('follows nested conditions in package order and falls through arrays', () => {
    const exportsField = { '.': { node: { import: './node.js' }, import: { browser: './b.js', default: './esm.js' } }, './x': ['bad', './x.js'] };
    expect(resolvePackageExports(exportsField, '.')).toBe('./esm.js');
    expect(resolvePackageExports(exportsField, './x')).toBe('./x.js');
  });

  it('resolves subpath patterns, the longest prefix winning, and honours null blocks', () => {
    const exportsField = { './features/*.js': './dist/features/*.js', './features/private/*': null, './*': './dist/*.js' };
    expect(resolvePackageExports(exportsField, './features/a.js')).toBe('./dist/features/a.js');
    expect(resolvePackageExports(exportsField, './features/private/a.js')).toBeNull();
    expect(resolvePackageExports(exportsField, './util')).toBe('./dist/util.js');
  });

  it('reports subpaths that are not exported', () => {
    expect(resolvePackageExports({ '.': './index.js' }, './other')).toBeUndefined();
    expect(resolvePackageExports({ '.': { require: './index.cjs' } }, '.')).toBeUndefined();
  });
});

describe('parseBareSpecifier', () => {
  it('splits package names and subpaths', () => {
    expect(parseBareSpecifier('left-pad')).toEqual({ packageName: 'left-pad', subpath: '.' });
    expect(parseBareSpecifier('@scope/name/sub/file.js')).toEqual({ packageName: '@scope/name', subpath: './sub/file.js' });
    expect(parseBareSpecifier('@scope')).toBeUndefined();
    expect(parseBareSpecifier('pkg/../escape')).toBeUndefined();
  });
});

describe('resolveImportMap', () => {
  const base = new URL('https://app.example/page/index.html');
  it('prefers exact keys, then the longest prefix, and never climbs above a prefix target', () => {
    const map = { imports: { lib: '/vendor/lib/index.js', 'lib/': '/vendor/lib/', 'lib/deep/': '/other/deep/' } };
    expect(resolveImportMap(map, 'lib', base)?.url.href).toBe('https://app.example/vendor/lib/index.js');
    expect(resolveImportMap(map, 'lib/a.js', base)?.url.href).toBe('https://app.example/vendor/lib/a.js');
    expect(resolveImportMap(map, 'lib/deep/b.js', base)?.url.href).toBe('https://app.example/other/deep/b.js');
    expect(resolveImportMap(map, 'lib/../../secret.js', base)).toBeUndefined();
    expect(resolveImportMap(map, 'other', base)).toBeUndefined();
  });
});
