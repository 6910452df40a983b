import { packSources, type NodePackage } from '@remotemedia/browser-sdk/node';

/**
 * A node whose `blob(n)` answers a few bytes of request with n bytes: what a client that does not read piles up.
 * `hold(ms)` keeps the node busy that long, so requests sent behind it all arrive before any reply is made.
 */
export function packBlob(): Promise<NodePackage> {
  return packSources({
    sources: {
      'blob.js':
        'export class Blob {\n  blob(n) { return new Uint8Array(n); }\n  hold(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return 0; }\n}\n',
    },
    entry: 'blob.js',
    exportName: 'Blob',
  });
}
