import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { packFile } from '@remotemedia/browser-sdk/node';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { ErrorCode } from '@remotemedia/shared/errors';
import { decodePackage, encodePackage, verifyPackage } from '@remotemedia/shared/package';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { WASM_MAX_MODULE_BYTES } from '@remotemedia/shared/wasm';
import { buildWasmFixtures, watToWasm, WASM_FIXTURES } from '../support/wasmFixtures.ts';

const ADD_WAT = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))';
const NODE = (path: string): string =>
  `import { loadWasm } from '@remotemedia/shared';\nexport class Adder { async add(a, b) { return (await loadWasm('${path}', import.meta.url)).call('add', a, b); } }\n`;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as { code: string; message: string };
}

describe('packager: .wasm binaries a node loads travel in its package', () => {
  let add: Uint8Array;
  beforeAll(async () => {
    add = await watToWasm('add.wat', ADD_WAT);
    await buildWasmFixtures();
  });

  it('includes each loadWasm binary, hashed and sized in the manifest, base64 in the package, mapped in the import map', async () => {
    const pkg = await packSources({
      sources: { 'src/adder.js': NODE('../wasm/add.wasm'), 'wasm/add.wasm': add },
      entry: 'src/adder.js',
      exportName: 'Adder',
    });
    expect(pkg.manifest.wasm).toEqual([{ path: 'wasm/add.wasm', size: add.byteLength, sha256: sha256(add) }]);
    expect(Buffer.from(pkg.wasm!['wasm/add.wasm']!, 'base64')).toEqual(Buffer.from(add));
    expect(pkg.manifest.modules[0]!.imports).toEqual({ '../wasm/add.wasm': 'wasm/add.wasm', '@remotemedia/shared': 'edge:shared' });
    const verified = await verifyPackage(decodePackage(encodePackage(pkg)));
    expect(verified).toEqual(pkg);
  });

  it('gives a package without WebAssembly the same shape (and id) as before: no wasm fields', async () => {
    const pkg = await packSources({ sources: { 'a.js': 'export class A { x() { return 1; } }' }, entry: 'a.js', exportName: 'A' });
    expect('wasm' in pkg).toBe(false);
    expect('wasm' in pkg.manifest).toBe(false);
  });

  it('packs the fixture node from the file system (FsSourceReader reads the binary)', async () => {
    const pkg = await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm');
    expect(pkg.manifest.wasm?.map((file) => file.path)).toEqual(['pixels.wasm']);
    await verifyPackage(pkg);
  });

  it('refuses a missing binary with MODULE_NOT_FOUND naming the file and the module', async () => {
    const error = await failure(packSources({ sources: { 'adder.js': NODE('./missing.wasm') }, entry: 'adder.js', exportName: 'Adder' }));
    expect(error.code).toBe(ErrorCode.ModuleNotFound);
    expect(error.message).toMatch(/^Cannot find WebAssembly file '\.\/missing\.wasm' loaded by adder\.js/);
  });

  it('refuses a binary over the per-module limit with WASM_LIMIT_EXCEEDED', async () => {
    const big = new Uint8Array(WASM_MAX_MODULE_BYTES + 1);
    const error = await failure(
      packSources({ sources: { 'adder.js': NODE('./big.wasm'), 'big.wasm': big }, entry: 'adder.js', exportName: 'Adder' }),
    );
    expect(error.code).toBe(ErrorCode.WasmLimitExceeded);
    expect(error.message).toContain(`is ${WASM_MAX_MODULE_BYTES + 1} bytes; a WebAssembly module may be at most ${WASM_MAX_MODULE_BYTES} bytes`);
  });

  it('refuses one loadWasm path meaning two binaries in two modules (the edge resolves them package-wide)', async () => {
    const sources = {
      'main.js': `import './lib/other.js';\n${NODE('./add.wasm')}`,
      'lib/other.js': `import { loadWasm } from '@remotemedia/shared';\nexport const other = () => loadWasm('./add.wasm', import.meta.url);\n`,
      'add.wasm': add,
      'lib/add.wasm': add,
    };
    const error = await failure(packSources({ sources, entry: 'main.js', exportName: 'Adder' }));
    expect(error.code).toBe(ErrorCode.InvalidInput);
    expect(error.message).toMatch(/loadWasm\('\.\/add\.wasm'\) means add\.wasm in main\.js but lib\/add\.wasm in lib\/other\.js/);
  });

  it('refuses a binary outside the package root', async () => {
    const error = await failure(packSources({ sources: { 'adder.js': NODE('../../add.wasm') }, entry: 'adder.js', exportName: 'Adder' }));
    expect(error.code).toBe(ErrorCode.ModuleNotFound);
  });

  describe('verifyPackage on what arrives at the edge', () => {
    let pkg: NodePackage;
    beforeAll(async () => {
      pkg = await packSources({ sources: { 'adder.js': NODE('./add.wasm'), 'add.wasm': add }, entry: 'adder.js', exportName: 'Adder' });
    });
    const tampered = (change: (copy: Record<string, any>) => void): unknown => {
      const copy = structuredClone(pkg) as Record<string, any>;
      change(copy);
      return copy;
    };

    it('refuses a binary that does not match its hash or size', async () => {
      const flipped = Buffer.from(add);
      flipped[flipped.length - 1]! ^= 1;
      const error = await failure(verifyPackage(tampered((c) => (c.wasm['add.wasm'] = flipped.toString('base64')))));
      expect(error.code).toBe(ErrorCode.PackageIntegrity);
      expect(error.message).toMatch(/the binary of 'add\.wasm' does not match its sha256/);
      const shorter = await failure(verifyPackage(tampered((c) => (c.wasm['add.wasm'] = Buffer.from(add.subarray(1)).toString('base64')))));
      expect(shorter.message).toMatch(/'add\.wasm' is \d+ bytes but the manifest says \d+/);
    });

    it('refuses base64 that is not canonical, binaries without a manifest entry and the reverse', async () => {
      const error = await failure(verifyPackage(tampered((c) => (c.wasm['add.wasm'] = `${c.wasm['add.wasm']}\n`))));
      expect(error.message).toMatch(/the binary of 'add\.wasm' is not canonical base64/);
      const extra = await failure(verifyPackage(tampered((c) => (c.wasm['other.wasm'] = 'AAAA'))));
      expect(extra.message).toMatch(/wasm binary 'other\.wasm' has no entry in manifest\.wasm/);
      const missing = await failure(verifyPackage(tampered((c) => delete c.wasm)));
      expect(missing.message).toMatch(/wasm must be an object when the manifest lists wasm/);
      const badPath = await failure(verifyPackage(tampered((c) => (c.manifest.wasm[0].path = '../add.wasm'))));
      expect(badPath.message).toMatch(/manifest\.wasm\[0\]\.path is not a valid \.wasm path/);
    });

    it('refuses more WebAssembly than the package limit, naming the largest binaries', async () => {
      const error = await failure(verifyPackage(pkg, { maxWasmBytes: 8 }));
      expect(error.code).toBe(ErrorCode.PackageTooLarge);
      expect(error.message).toMatch(/^Package is \d+ bytes of WebAssembly in 1 modules, over the limit of 8 bytes\. Largest modules: add\.wasm/);
    });
  });
});
