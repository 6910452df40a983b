import type { NodePackage } from '@remotemedia/shared';
import type { RedisLink } from './RedisLink.ts';

const KEY = /^[0-9a-f]{64}$/;
const packageKey = (id: string): string => `rm:pkg:${id}`;

/**
 * Packages stored once in Redis by content id, so a deploy by id works on every edge of the cluster. Entries
 * are immutable (the id is the hash of the content) and written only if absent. What comes back is bounded
 * before it is parsed and verified again by the caller (sizes, hashes, id) before anything in it is used.
 */
export class ClusterPackageStore {
  private readonly link: RedisLink;
  /** Longest stored JSON accepted: the package limit with room for JSON escaping of every source byte. */
  private readonly maxStoredBytes: number;
  /** Packages known to be in Redis, on the connection `storedOn`. */
  private readonly stored = new Set<string>();
  private storedOn = 0;

  constructor(link: RedisLink, maxPackageBytes: number) {
    this.link = link;
    this.maxStoredBytes = maxPackageBytes * 6 + 64 * 1024;
  }

  /** Resolves once the package is in Redis. Throws CLUSTER_UNAVAILABLE when Redis cannot be used. */
  async put(pkg: NodePackage): Promise<void> {
    if (this.storedOn !== this.link.connection) {
      this.stored.clear();
      this.storedOn = this.link.connection;
    }
    if (this.stored.has(pkg.id)) return;
    if (!KEY.test(pkg.id)) throw new Error('invalid package id');
    await this.link.run('storing a package in the cluster', (client) => client.set(packageKey(pkg.id), JSON.stringify(pkg), 'NX'));
    this.stored.add(pkg.id);
  }

  /** The stored package as parsed JSON, untrusted until verified; undefined when the cluster does not have it. */
  async get(id: string): Promise<unknown> {
    if (!KEY.test(id)) return undefined;
    const text = await this.link.getBounded('reading a package from the cluster', packageKey(id), this.maxStoredBytes);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }
}
