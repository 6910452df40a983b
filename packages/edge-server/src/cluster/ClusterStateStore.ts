import { createHash } from 'node:crypto';
import { RemoteMediaError, type NodePackage } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { NodeStore } from '../persistence/NodeStore.ts';
import type { PersistedNode } from '../persistence/PersistedNode.ts';
import type { ClusterMetrics } from './ClusterMetrics.ts';
import type { ClusterPackageStore } from './ClusterPackageStore.ts';
import type { RedisLink } from './RedisLink.ts';

const KEY = /^[0-9a-f]{64}$/;
/** Node records read per session at most: more than any edge lets a session hold (maxSandboxesPerSession). */
const MAX_RECORDS = 256;

export interface ClusterStateStoreOptions {
  link: RedisLink;
  packages: ClusterPackageStore;
  /** Largest state a save may write (maxStateBytes): records read back are bounded by it before parsing. */
  maxStateBytes: number;
  log: Logger;
  metrics: ClusterMetrics;
}

/**
 * Persistent nodes in Redis, so any edge of the cluster can restore a session whose edge died or drained:
 *
 *   rm:pkg:<packageId>        the package (ClusterPackageStore)
 *   rm:session:<resumeKey>    a hash: one field per persistent node (hash of its id) -> its record as JSON
 *
 * A record is written with one HSET, so a reader sees the whole previous snapshot or the whole new one, never
 * a mix; one connection runs commands in order, so a save that started later lands later. Sessions are filed
 * under the hash of their resume token, never the token. Records read back are bounded and checked like a file.
 */
export class ClusterStateStore implements NodeStore {
  private readonly options: ClusterStateStoreOptions;
  private readonly maxRecordBytes: number;

  constructor(options: ClusterStateStoreOptions) {
    this.options = options;
    // The state is bounded by maxStateBytes as superjson estimates it; JSON escaping and the envelope add to it.
    this.maxRecordBytes = options.maxStateBytes * 2 + 16 * 1024;
  }

  get location(): string {
    return this.options.link.shownUrl;
  }

  async init(): Promise<void> {}

  savePackage(pkg: NodePackage): Promise<void> {
    return this.options.packages.put(pkg);
  }

  async loadPackage(packageId: string): Promise<unknown> {
    const pkg = await this.options.packages.get(packageId);
    if (pkg === undefined) throw new Error(`package ${packageId.slice(0, 12)}… is not in the cluster store`);
    return pkg;
  }

  async saveNode(key: string, record: PersistedNode): Promise<void> {
    const text = JSON.stringify(record);
    await this.options.link.run('saving a persistent node', (client) => client.hset(sessionKey(key), field(record.nodeId), text));
  }

  async removeNode(key: string, nodeId: string): Promise<void> {
    await this.options.link.run('removing a persistent node', (client) => client.hdel(sessionKey(key), field(nodeId)));
  }

  async loadSession(key: string): Promise<PersistedNode[]> {
    const { link, log } = this.options;
    const fields = await link.run('restoring a session from the cluster', async (client) => {
      const count = await client.hlen(sessionKey(key));
      if (count === 0) return [];
      // HSCAN with a COUNT hint could still return everything at once; HKEYS only after the count is checked.
      if (count > MAX_RECORDS) throw new Error(`the stored session has ${count} node records, over the bound of ${MAX_RECORDS}`);
      return client.hkeys(sessionKey(key));
    });
    const records: PersistedNode[] = [];
    for (const name of fields) {
      try {
        const record = await this.readRecord(key, name);
        if (record !== undefined) records.push(record);
      } catch (error) {
        // Redis itself failing is not one bad record: the restore as a whole fails with CLUSTER_UNAVAILABLE.
        if (error instanceof RemoteMediaError) throw error;
        log.warn('unreadable node state skipped', { session: key.slice(0, 12), field: name.slice(0, 32), error: String(error) });
      }
    }
    if (records.length > 0) this.options.metrics.resume();
    return records.sort((a, b) => a.nodeId.localeCompare(b.nodeId, 'en', { numeric: true }));
  }

  async loadNode(key: string, nodeId: string): Promise<PersistedNode | undefined> {
    const record = await this.readRecord(key, field(nodeId));
    if (record !== undefined && record.nodeId !== nodeId) throw new Error('not a node record of format 1 for this node');
    return record;
  }

  private async readRecord(key: string, name: string): Promise<PersistedNode | undefined> {
    const read = await this.options.link.run('reading a persistent node from the cluster', async (client) => {
      const length = await client.hstrlen(sessionKey(key), name);
      if (length === 0 || length > this.maxRecordBytes) return { length, text: undefined };
      return { length, text: (await client.hget(sessionKey(key), name)) ?? undefined };
    });
    if (read.length > this.maxRecordBytes) throw new Error(`the stored record is ${read.length} bytes, over the bound of ${this.maxRecordBytes}`);
    if (read.text === undefined) return undefined;
    const record = JSON.parse(read.text) as PersistedNode;
    if (
      typeof record !== 'object' ||
      record === null ||
      record.format !== 1 ||
      typeof record.nodeId !== 'string' ||
      typeof record.sessionId !== 'string' ||
      typeof record.packageId !== 'string'
    ) {
      throw new Error('not a node record of format 1');
    }
    return record;
  }
}

function sessionKey(key: string): string {
  // The key is always our own SHA-256 hex; checked anyway because it names a Redis key.
  if (!KEY.test(key)) throw new Error('invalid session key');
  return `rm:session:${key}`;
}

function field(nodeId: string): string {
  return createHash('sha256').update(nodeId, 'utf8').digest('hex').slice(0, 32);
}
