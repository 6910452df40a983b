import { ErrorCode, RemoteMediaError, type NodePackage } from '@remotemedia/shared';

/** Source bytes kept across sessions: 16 packages of the largest size (DEFAULT_MAX_PACKAGE_BYTES). */
export const DEFAULT_PACKAGE_CACHE_BYTES = 64 * 1024 * 1024;

/** Cluster mode: the packages every edge can read (Redis), behind this edge's own cache. */
export interface SharedPackages {
  put(pkg: NodePackage): Promise<void>;
  /** The stored package, untrusted until verified; undefined when it is not there. */
  get(id: string): Promise<unknown>;
}

/**
 * Packages by content id. A client asks before sending (it deploys by id alone first), so the same code
 * crosses the wire once per edge, not once per instance. Bounded by total source bytes, least recently used out.
 */
export class PackageCache {
  private readonly maxBytes: number;
  private readonly verify: (pkg: NodePackage) => Promise<NodePackage>;
  private readonly shared: SharedPackages | undefined;
  private readonly entries = new Map<string, { pkg: NodePackage; bytes: number }>();
  private bytes = 0;

  constructor(options: { maxBytes: number; verify: (pkg: NodePackage) => Promise<NodePackage>; shared?: SharedPackages }) {
    this.maxBytes = options.maxBytes;
    this.verify = options.verify;
    this.shared = options.shared;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What is cached, for /status. */
  list(): Array<{ id: string; exportName: string; entry: string; bytes: number }> {
    return [...this.entries.values()].map(({ pkg, bytes }) => ({
      id: pkg.id,
      exportName: pkg.manifest.exportName,
      entry: pkg.manifest.entry,
      bytes,
    }));
  }

  get(id: string): NodePackage {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      throw new RemoteMediaError(ErrorCode.UnknownPackage, `package ${id.slice(0, 12)}… is not cached on this edge; send it with the deploy`);
    }
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.pkg;
  }

  /**
   * A deploy by id: this edge's cache, else (cluster mode) the package another edge stored, verified like a
   * client's. UNKNOWN_PACKAGE when neither has it, or when Redis cannot be read: the client then sends it.
   */
  async resolve(id: string): Promise<NodePackage> {
    if (this.entries.has(id) || this.shared === undefined) return this.get(id);
    const stored = await this.shared.get(id).catch(() => undefined);
    if (stored === undefined) return this.get(id);
    return this.add(stored as NodePackage, id, { share: false });
  }

  /** Verifies sizes, hashes and id before trusting anything in the package; in cluster mode stores it for the other edges too. */
  async add(pkg: NodePackage, claimedId: string, options: { share?: boolean } = {}): Promise<NodePackage> {
    if (pkg.id !== claimedId) {
      throw new RemoteMediaError(
        ErrorCode.PackageIntegrity,
        `deploy names package ${claimedId.slice(0, 12)}… but carries ${String(pkg.id).slice(0, 12)}…`,
      );
    }
    const verified = await this.verify(pkg);
    // WebAssembly binaries are held too (base64, a third larger than their size).
    const bytes = verified.manifest.totalSize + Math.ceil(((verified.manifest.wasm ?? []).reduce((sum, file) => sum + file.size, 0) * 4) / 3);
    if (!this.entries.has(verified.id)) {
      this.entries.set(verified.id, { pkg: verified, bytes });
      this.bytes += bytes;
      for (const [id, entry] of this.entries) {
        if (this.bytes <= this.maxBytes || id === verified.id) break;
        this.entries.delete(id);
        this.bytes -= entry.bytes;
      }
    }
    // Without Redis the package still serves this edge; a persistent deploy, which needs it in Redis, stores it
    // again itself and fails with CLUSTER_UNAVAILABLE then.
    if (this.shared !== undefined && options.share !== false) await this.shared.put(verified).catch(() => undefined);
    return verified;
  }
}
