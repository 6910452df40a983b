import { ErrorCode, RemoteMediaError, type HelloMessage, type NodePackage } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { NodeStore } from '../persistence/NodeStore.ts';
import { resumeKey } from '../persistence/resumeKey.ts';
import type { PackageCache } from './PackageCache.ts';
import { Session, type SessionHooks, type SessionOptions } from './Session.ts';

/** Sessions held at once, attached or waiting to be resumed. */
export const DEFAULT_MAX_SESSIONS = 100;
/** How long a session whose connection dropped waits for its client: long enough to ride out a network change. */
export const DEFAULT_SESSION_GRACE_MS = 30_000;
/** Time in-flight frames get on shutdown (closeAll) before their sessions are closed anyway. */
export const DEFAULT_SHUTDOWN_DRAIN_MS = 5000;

export interface SessionRegistryOptions {
  /** Sessions held at once, attached or waiting to be resumed. */
  maxSessions: number;
  /** How long a detached session waits for its client; 0 closes it as soon as the connection drops. */
  graceMs: number;
  /** Most sandboxed nodes one session may hold; a restore brings back no more than this. */
  maxSandboxes: number;
  store: NodeStore;
  packages: PackageCache;
  log: Logger;
  metrics: EdgeMetrics;
  /** Builds a session with everything but the registry's hooks and, for a restore, its identity. */
  createSession(extra: Pick<SessionOptions, 'hooks' | 'identity'>): Session;
}

/** How a `hello` was answered. */
export type OpenKind = 'new' | 'resumed' | 'restored';

/**
 * Every session the edge holds, by id and by resume key, and the rules for getting one:
 * - `hello` with the token of a session still in memory reattaches to it (`resumed`);
 * - a token whose session is gone from memory but has persistent nodes in the data dir rebuilds it from
 *   there (`restored`: after an edge restart, or after the grace period ran out);
 * - anything else opens a new session, if the edge has room (TOO_MANY_SESSIONS otherwise).
 * Resuming never needs room: the session is already counted.
 */
export class SessionRegistry {
  private readonly options: SessionRegistryOptions;
  private readonly byKey = new Map<string, Session>();
  private readonly graceTimers = new Map<Session, NodeJS.Timeout>();
  private readonly restoring = new Map<string, Promise<Session | undefined>>();
  private readonly hooks: SessionHooks;

  constructor(options: SessionRegistryOptions) {
    this.options = options;
    this.hooks = {
      detached: (session, reason) => this.startGrace(session, reason),
      closed: (session) => this.forget(session),
    };
  }

  get size(): number {
    return this.byKey.size + this.restoring.size;
  }

  get full(): boolean {
    return this.size >= this.options.maxSessions;
  }

  all(): Session[] {
    return [...this.byKey.values()];
  }

  counts(): { attached: number; detached: number } {
    let attached = 0;
    for (const session of this.byKey.values()) if (session.state === 'attached') attached++;
    return { attached, detached: this.byKey.size - attached };
  }

  /** Finds, restores or creates the session a `hello` asks for. Throws TOO_MANY_SESSIONS when full. */
  async open(hello: HelloMessage): Promise<{ session: Session; kind: OpenKind }> {
    if (hello.resumeToken !== undefined) {
      const key = resumeKey(hello.resumeToken);
      const live = this.byKey.get(key);
      if (live !== undefined && !live.isClosing) {
        this.cancelGrace(live);
        return { session: live, kind: 'resumed' };
      }
      // Expiring right now: let its last snapshot land, then restore from that.
      if (live !== undefined) await live.close('expired');
      let restoring = this.restoring.get(key);
      if (restoring === undefined) {
        // Both branches below add a session: check for room before reading the disk.
        if (this.full) throw this.tooMany();
        restoring = this.restore(key, hello.resumeToken).finally(() => this.restoring.delete(key));
        this.restoring.set(key, restoring);
      }
      const restored = await restoring;
      if (restored !== undefined) {
        this.cancelGrace(restored);
        return { session: restored, kind: 'restored' };
      }
    }
    if (this.full) throw this.tooMany();
    const session = this.options.createSession({ hooks: this.hooks });
    this.byKey.set(session.key, session);
    return { session, kind: 'new' };
  }

  /**
   * Closes every session, snapshotting persistent nodes first, after giving in-flight frames up to
   * `drainMs` to finish.
   */
  async closeAll(reason: string, drainMs: number): Promise<void> {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    await Promise.allSettled([...this.restoring.values()]);
    const sessions = this.all();
    await Promise.race([Promise.allSettled(sessions.map((session) => session.drain())), sleep(drainMs)]);
    await Promise.allSettled(sessions.map((session) => session.close(reason, { snapshot: 'shutdown' })));
  }

  private async restore(key: string, resumeToken: string): Promise<Session | undefined> {
    const { store, packages, log } = this.options;
    const records = await store.loadSession(key);
    if (records.length === 0) return undefined;
    const session = this.options.createSession({ hooks: this.hooks, identity: { id: records[0]!.sessionId, resumeToken } });
    let restored = 0;
    for (const record of records.slice(0, this.options.maxSandboxes)) {
      try {
        // The file is as untrusted as a client's deploy: verified again (sizes, hashes, id) before use.
        const pkg: NodePackage = await packages.add((await store.loadPackage(record.packageId)) as NodePackage, record.packageId);
        await session.restoreNode(record, pkg);
        restored++;
      } catch (error) {
        log.warn('persisted node could not be restored', { session: session.id, nodeId: record.nodeId, error: String(error) });
      }
    }
    if (records.length > this.options.maxSandboxes) {
      log.warn('persisted nodes over maxSandboxesPerSession were not restored', {
        session: session.id,
        skipped: records.length - this.options.maxSandboxes,
      });
    }
    if (restored === 0) {
      // Nothing came back: a fresh session (resumed: false) tells the client to rebuild its nodes itself.
      await session.close('no persisted node could be restored');
      return undefined;
    }
    log.info('session restored from the data dir', { session: session.id, nodes: restored });
    this.byKey.set(session.key, session);
    return session;
  }

  private startGrace(session: Session, reason: string): void {
    this.cancelGrace(session);
    // A session without nodes has nothing to resume: keeping it would only let page reloads fill maxSessions.
    if (this.options.graceMs === 0 || session.nodeCount === 0) {
      void session.close(reason, { snapshot: 'expiry' });
      return;
    }
    const timer = setTimeout(() => {
      this.graceTimers.delete(session);
      void session.close(`not resumed within ${this.options.graceMs} ms (${reason})`, { snapshot: 'expiry' });
    }, this.options.graceMs);
    this.graceTimers.set(session, timer);
  }

  private cancelGrace(session: Session): void {
    const timer = this.graceTimers.get(session);
    if (timer !== undefined) clearTimeout(timer);
    this.graceTimers.delete(session);
  }

  private forget(session: Session): void {
    this.cancelGrace(session);
    if (this.byKey.get(session.key) === session) this.byKey.delete(session.key);
  }

  private tooMany(): RemoteMediaError {
    this.options.metrics.rejected('too_many_sessions');
    return new RemoteMediaError(
      ErrorCode.TooManySessions,
      `this edge already holds its maximum of ${this.options.maxSessions} sessions; try again later`,
      { retryable: true },
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
