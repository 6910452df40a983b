import { createHash } from 'node:crypto';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';

/** Refuses a package whose manifest and sources disagree, before any of it reaches a sandbox. */
export function checkPackage(pkg: NodePackage): void {
  const { manifest, sources } = pkg;
  if (!manifest.modules.some((m) => m.path === manifest.entry)) {
    throw new RemoteMediaError(ErrorCode.InvalidManifest, `the manifest's entry ${manifest.entry} is not one of its modules`);
  }
  for (const info of manifest.modules) {
    if (!Object.hasOwn(sources, info.path) || typeof sources[info.path] !== 'string') {
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `the package has no source for module ${info.path}`);
    }
    const digest = createHash('sha256').update(sources[info.path]!, 'utf8').digest('hex');
    if (digest !== info.sha256) {
      throw new RemoteMediaError(ErrorCode.PackageIntegrity, `module ${info.path} does not match its SHA-256 in the manifest`);
    }
  }
}
