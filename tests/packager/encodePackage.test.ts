import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePackage, encodePackage, verifyPackage } from '@remotemedia/shared/package';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { ErrorCode } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';

const SOURCES = {
  'main.ts':
    "import { helper } from './lib/helper.js';\nimport { Frame } from '@remotemedia/shared';\nexport class Node { run(): number { return helper() + String(Frame).length; } }\n",
  'lib/helper.js': "export const helper = () => 'héllo ✓'.length;\n",
};

/** A deep, mutable copy to tamper with. */
function clone(pkg: NodePackage): {
  id: string;
  manifest: { modules: Array<Record<string, unknown>> } & Record<string, unknown>;
  sources: Record<string, string>;
} {
  return structuredClone(pkg) as never;
}

async function integrityFailure(value: unknown): Promise<string> {
  const error = await verifyPackage(value).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ code: ErrorCode.PackageIntegrity });
  return (error as Error).message;
}

describe('encodePackage / decodePackage / verifyPackage', () => {
  let pkg: NodePackage;

  beforeAll(async () => {
    pkg = await packSources({ sources: SOURCES, entry: 'main.ts', exportName: 'Node', edgeModules: { '@remotemedia/shared': 'edge:shared' } });
  });

  it('round-trips a package through MessagePack', async () => {
    const bytes = encodePackage(pkg);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const decoded = decodePackage(bytes);
    expect(decoded).toEqual(pkg);
    await expect(verifyPackage(decoded)).resolves.toEqual(pkg);
  });

  it('encodes the same package to the same bytes', () => {
    expect(encodePackage(pkg)).toEqual(encodePackage(structuredClone(pkg)));
  });

  it('catches a tampered source', async () => {
    const tampered = clone(pkg);
    tampered.sources['lib/helper.js'] = "export const helper = () => 'HÉLLO ✓'.length;\n";
    expect(await integrityFailure(tampered)).toContain("'lib/helper.js' does not match its sha256");
  });

  it('catches a tampered source after a decode', async () => {
    const tampered = clone(pkg);
    tampered.sources['main.ts'] = (tampered.sources['main.ts'] ?? '').replace('String', 'Strung');
    expect(await integrityFailure(decodePackage(encodePackage(tampered as unknown as NodePackage)))).toContain("'main.ts'");
  });

  it('catches a tampered id', async () => {
    const tampered = clone(pkg);
    tampered.id = `${pkg.id.slice(0, -1)}${pkg.id.endsWith('0') ? '1' : '0'}`;
    expect(await integrityFailure(tampered)).toContain('does not match its manifest');
  });

  it('catches a manifest edited along with a matching source hash (the id no longer matches)', async () => {
    const tampered = clone(pkg);
    const entry = tampered.manifest.modules.find((module) => module.path === 'main.ts');
    if (entry !== undefined) entry.imports = { './lib/helper.js': 'lib/helper.js', '@remotemedia/shared': 'edge:other' };
    expect(await integrityFailure(tampered)).toContain('does not match its manifest');
  });

  it('catches wrong sizes and totals', async () => {
    const wrongSize = clone(pkg);
    const first = wrongSize.manifest.modules[0];
    if (first !== undefined) first.size = Number(first.size) + 1;
    expect(await integrityFailure(wrongSize)).toContain('bytes but the manifest says');
    const wrongTotal = clone(pkg);
    wrongTotal.manifest.totalSize = Number(wrongTotal.manifest.totalSize) - 1;
    expect(await integrityFailure(wrongTotal)).toContain('totalSize');
  });

  it('catches structural problems: extra fields, dangling imports, unsafe paths, missing sources', async () => {
    expect(await integrityFailure({ ...clone(pkg), extra: 1 })).toContain('unexpected fields');
    const dangling = clone(pkg);
    const withImports = dangling.manifest.modules.find((module) => module.path === 'main.ts');
    if (withImports !== undefined) withImports.imports = { './x.js': 'lib/x.js' };
    expect(await integrityFailure(dangling)).toContain('not in the package');
    const escaping = clone(pkg);
    const helper = escaping.manifest.modules.find((module) => module.path === 'lib/helper.js');
    if (helper !== undefined) helper.path = '../outside.js';
    expect(await integrityFailure(escaping)).toContain('not a valid module path');
    const missing = clone(pkg);
    delete missing.sources['lib/helper.js'];
    expect(await integrityFailure(missing)).toContain("source of 'lib/helper.js' is missing");
    expect(await integrityFailure('not a package')).toContain('must be an object');
  });

  it('refuses a package over the size limit', async () => {
    await expect(verifyPackage(pkg, { maxPackageBytes: 10 })).rejects.toMatchObject({ code: ErrorCode.PackageTooLarge });
  });

  it('rejects malformed bytes with a typed error, before msgpackr decodes them', () => {
    const bytes = encodePackage(pkg);
    const decodeError = (input: Uint8Array): unknown => {
      try {
        decodePackage(input);
        return undefined;
      } catch (error) {
        return error;
      }
    };
    expect(decodeError(bytes.subarray(0, bytes.length - 3))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    expect(decodeError(new Uint8Array([...bytes, 0x00]))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    // An array header claiming 4 billion elements, followed by nothing.
    expect(decodeError(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    // 24,000 nested array headers: the shape that can crash msgpackr (msgpackr #200).
    expect(decodeError(new Uint8Array(24_000).fill(0x91))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    // Extension types (here a Date) are never part of a package.
    const withDate = new Packr({ useRecords: false }).pack({ ...pkg, manifest: { ...pkg.manifest, sdkVersion: new Date(0) } });
    expect(decodeError(new Uint8Array(withDate))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    expect(decodeError(bytes)).toBeUndefined();
    expect(decodeError(new Uint8Array(64))).toMatchObject({ code: ErrorCode.PackageIntegrity });
    expect(() => decodePackage(bytes, { maxBytes: 16 })).toThrow(expect.objectContaining({ code: ErrorCode.PackageTooLarge }));
  });

  it('keeps a __proto__ key in the input from reaching the result', () => {
    const hostile = new Packr({ useRecords: false }).pack({ ...pkg, sources: { ...pkg.sources, ['__proto__']: 'x' } });
    expect(() => decodePackage(new Uint8Array(hostile))).toThrow(expect.objectContaining({ code: ErrorCode.PackageIntegrity }));
  });
});
