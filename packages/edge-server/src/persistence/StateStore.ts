import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { NodePackage } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import { atomicWrite, removeStaleTempFiles, syncDirectory } from './atomicWrite.ts';
import type { NodeStore } from './NodeStore.ts';
import type { PersistedNode } from './PersistedNode.ts';

export type { PersistedNode } from './PersistedNode.ts';

/** Relative to the working directory the edge was started in. */
export const DEFAULT_DATA_DIR = '.remotemedia-data';

const KEY = /^[0-9a-f]{64}$/;

/**
 * Persistent nodes' state as plain JSON files in the data directory:
 *
 *   <dataDir>/packages/<packageId>.json         the package (written once; verified again when read back)
 *   <dataDir>/sessions/<resumeKey>/<node>.json  one file per persistent node, <node> = hash of its id
 *
 * Sessions are filed under the hash of their resume token (see resumeKey.ts), never the token. Every write
 * is atomic (atomicWrite.ts), and writes to one file are serialized, so an interval snapshot that started
 * earlier cannot land after, and overwrite, an explicit save that started later.
 */
export class StateStore implements NodeStore {
  private readonly root: string;
  private readonly log: Logger;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly savedPackages = new Set<string>();

  constructor(dataDir: string, log: Logger) {
    this.root = dataDir;
    this.log = log;
  }

  get dataDir(): string {
    return this.root;
  }

  get location(): string {
    return this.root;
  }

  /**
   * Creates the directories (private to this user), fails early if the data dir is not writable, and removes
   * the temporary files of writes a crash interrupted.
   */
  async init(): Promise<void> {
    await mkdir(join(this.root, 'sessions'), { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, 'packages'), { recursive: true, mode: 0o700 });
    const sessions = await readdir(join(this.root, 'sessions'));
    const dirs = [join(this.root, 'packages'), ...sessions.filter((name) => KEY.test(name)).map((name) => join(this.root, 'sessions', name))];
    let removed = 0;
    for (const dir of dirs) removed += await removeStaleTempFiles(dir);
    if (removed > 0) this.log.info('removed temporary files of interrupted writes', { count: removed });
  }

  async savePackage(pkg: NodePackage): Promise<void> {
    if (this.savedPackages.has(pkg.id)) return;
    const path = this.packagePath(pkg.id);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) await this.serialized(path, () => atomicWrite(path, JSON.stringify(pkg)));
    this.savedPackages.add(pkg.id);
  }

  /** The stored package as read from disk: untrusted until the caller verifies it. */
  async loadPackage(packageId: string): Promise<unknown> {
    return JSON.parse(await readFile(this.packagePath(packageId), 'utf8')) as unknown;
  }

  /** Resolves once the node's state is durably on disk. */
  saveNode(key: string, record: PersistedNode): Promise<void> {
    const dir = this.sessionDir(key);
    const path = this.nodePath(key, record.nodeId);
    return this.serialized(path, async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await atomicWrite(path, JSON.stringify(record));
    });
  }

  /** Forgets a node (it was disposed), after any write to it still in progress. */
  removeNode(key: string, nodeId: string): Promise<void> {
    const dir = this.sessionDir(key);
    const path = this.nodePath(key, nodeId);
    return this.serialized(path, async () => {
      await rm(path, { force: true });
      await syncDirectory(dir).catch(() => undefined);
      // The session directory goes when its last node does; another node being written recreates it.
      await rmdir(dir).catch(() => undefined);
    });
  }

  /** Every readable node record of a session; unreadable files are logged and skipped, not fatal. */
  async loadSession(key: string): Promise<PersistedNode[]> {
    const dir = this.sessionDir(key);
    const names = await readdir(dir).catch(() => [] as string[]);
    const records: PersistedNode[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as PersistedNode;
        if (record.format !== 1 || typeof record.nodeId !== 'string' || typeof record.packageId !== 'string') {
          throw new Error('not a node record of format 1');
        }
        records.push(record);
      } catch (error) {
        this.log.warn('unreadable node state skipped', { file: join('sessions', key.slice(0, 12), name), error: String(error) });
      }
    }
    return records.sort((a, b) => a.nodeId.localeCompare(b.nodeId, 'en', { numeric: true }));
  }

  /** One node's record, or undefined when it has none (never saved, or disposed). Checked like loadSession's. */
  async loadNode(key: string, nodeId: string): Promise<PersistedNode | undefined> {
    const path = this.nodePath(key, nodeId);
    // After any write to it still in progress, so a save that just started is what comes back.
    const text = await this.serialized(path, () => readFile(path, 'utf8')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) return undefined;
    const record = JSON.parse(text) as PersistedNode;
    if (record.format !== 1 || record.nodeId !== nodeId || typeof record.packageId !== 'string') {
      throw new Error('not a node record of format 1 for this node');
    }
    return record;
  }

  /** Files under the data dir a person might want to inspect (for tests and /status). */
  nodePath(key: string, nodeId: string): string {
    return join(this.sessionDir(key), `${createHash('sha256').update(nodeId, 'utf8').digest('hex').slice(0, 32)}.json`);
  }

  private sessionDir(key: string): string {
    // The key is always our own SHA-256 hex; checked anyway because it becomes a path.
    if (!KEY.test(key)) throw new Error('invalid session key');
    return join(this.root, 'sessions', key);
  }

  private packagePath(packageId: string): string {
    if (!KEY.test(packageId)) throw new Error('invalid package id');
    return join(this.root, 'packages', `${packageId}.json`);
  }

  private serialized<T>(path: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(path) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const tail = next.catch(() => undefined);
    this.chains.set(path, tail);
    void tail.then(() => {
      if (this.chains.get(path) === tail) this.chains.delete(path);
    });
    return next;
  }
}
