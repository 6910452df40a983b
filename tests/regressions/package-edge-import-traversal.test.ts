import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { validatePackageShape, verifyPackage } from '@remotemedia/shared/package';
import { makePackage } from '../fixtures/sandbox/makePackage.ts';

/**
 * Issue 15, "Smaller": the package validator accepted `edge:../..` as an import target (only the sandbox's
 * loader refused it, at deploy time). A target that walks out of the edge's module namespace is refused when
 * the package is validated, with a message naming the import.
 */
const withEdgeImport = (target: string) =>
  makePackage({ modules: { 'node.js': `import x from 'lib'; export default class N {}` }, imports: { 'node.js': { lib: target } } });

function refusal(target: string): RemoteMediaError {
  try {
    validatePackageShape(withEdgeImport(target));
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteMediaError);
    return error as RemoteMediaError;
  }
  throw new Error(`${target} was accepted`);
}

describe('edge: import targets', () => {
  it.each([
    'edge:../..',
    'edge:..',
    'edge:.',
    'edge:shared/../../etc',
    'edge:/shared',
    'edge:shared/',
    'edge:a//b',
    'edge:.hidden',
    'edge:',
    'edge:sh ared',
  ])('refuses %s with PACKAGE_INTEGRITY naming the import', (target) => {
    const error = refusal(target);
    expect(error.code).toBe(ErrorCode.PackageIntegrity);
    expect(error.message).toContain(`import 'lib' of 'node.js' maps to '${target}', which is not a valid edge module name`);
  });

  it('refuses it through verifyPackage, the check the edge runs on every package it receives', async () => {
    await expect(verifyPackage(withEdgeImport('edge:../../packages/edge-server/src/cli.ts'))).rejects.toMatchObject({
      code: ErrorCode.PackageIntegrity,
      message: expect.stringContaining('which is not a valid edge module name'),
    });
  });

  it.each(['edge:shared', 'edge:@scope/name', 'edge:media-nodes_v2.1'])('accepts %s', (target) => {
    expect(validatePackageShape(withEdgeImport(target)).manifest.modules[0]!.imports).toEqual({ lib: target });
  });
});
