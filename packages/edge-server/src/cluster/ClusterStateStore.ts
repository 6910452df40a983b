import { createHash } from 'node:crypto';
import { ErrorCode, RemoteMediaError, type NodePackage } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { NodeStore } from '../persistence/NodeStore.ts';
import type { PersistedNode } from '../persistence/PersistedNode.ts';
import type { ClusterMetrics } from './ClusterMetrics.ts';
import type { ClusterPackageStore } from './ClusterPackageStore.ts';
import type { RedisLink } from './RedisLink.ts';

const KEY = /^[0-9a-f]{64}$/;

/**
 * Writes a node record only while this edge owns the session (or nobody does yet, and then it takes it).
 * KEYS: owner key, session hash. ARGV: edge id, field, record (HSET) or none (HDEL). 0: another edge owns it.
 */
const OWNED_WRITE = `
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
if not owner then redis.call('SET', KEYS[1], ARGV[1]) end
if ARGV[3] then redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) else redis.call('HDEL', KEYS[2], ARGV[2]) end
return 1
`;
/** Node records read per session at most: more than any edge lets a session hold (maxSandboxesPerSession). */
const MAX_RECORDS = 256;

export interface ClusterStateStoreOptions {
  link: RedisLink;
  /** This edge's id in the registry: the owner it writes into a session it holds. */
  edgeId: string;
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
 *   rm:owner:<resumeKey>      the edge whose copy of the session may write there (taken on restore)
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
    await this.ownedWrite('saving a persistent node', key, field(record.nodeId), JSON.stringify(record));
  }

  async removeNode(key: string, nodeId: string): Promise<void> {
    await this.ownedWrite('removing a persistent node', key, field(nodeId));
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
    if (records.length > 0) {
      // From now on this edge's copy is the session: an edge that still holds an older copy (its client came
      // here without it noticing) can no longer overwrite what is saved from here.
      await link.run('taking over a session', (client) => client.set(ownerKey(key), this.options.edgeId));
      this.options.metrics.resume();
    }
    return records.sort((a, b) => a.nodeId.localeCompare(b.nodeId, 'en', { numeric: true }));
  }

  async loadNode(key: string, nodeId: string): Promise<PersistedNode | undefined> {
    const record = await this.readRecord(key, field(nodeId));
    if (record !== undefined && record.nodeId !== nodeId) throw new Error('not a node record of format 1 for this node');
    return record;
  }

  private async ownedWrite(what: string, key: string, name: string, text?: string): Promise<void> {
    const args = text === undefined ? [this.options.edgeId, name] : [this.options.edgeId, name, text];
    const written = await this.options.link.run(what, (client) => client.eval(OWNED_WRITE, 2, ownerKey(key), sessionKey(key), ...args));
    if (written !== 1) {
      throw new RemoteMediaError(
        ErrorCode.SessionClosed,
        'this session was resumed on another edge of the cluster, which owns its state now; this copy is stale and was not saved',
      );
    }
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

function ownerKey(key: string): string {
  if (!KEY.test(key)) throw new Error('invalid session key');
  return `rm:owner:${key}`;
}

function field(nodeId: string): string {
  return createHash('sha256').update(nodeId, 'utf8').digest('hex').slice(0, 32);
}
