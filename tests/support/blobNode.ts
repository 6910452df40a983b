import { packSources, type NodePackage } from '@remotemedia/browser-sdk/node';

/** A node whose `blob(n)` answers a few bytes of request with n bytes: what a client that does not read piles up. */
export function packBlob(): Promise<NodePackage> {
  return packSources({
    sources: { 'blob.js': 'export class Blob {\n  blob(n) { return new Uint8Array(n); }\n}\n' },
    entry: 'blob.js',
    exportName: 'Blob',
  });
}
