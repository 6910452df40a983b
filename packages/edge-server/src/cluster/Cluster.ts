import { randomBytes } from 'node:crypto';
import type { HelloMessage } from '@remotemedia/shared';
import type { Registry } from 'prom-client';
import type { Logger } from '../log/Logger.ts';
import type { Session } from '../session/Session.ts';
import { ClusterMetrics } from './ClusterMetrics.ts';
import { ClusterPackageStore } from './ClusterPackageStore.ts';
import { ClusterRegistry } from './ClusterRegistry.ts';
import { ClusterRouter } from './ClusterRouter.ts';
import { ClusterStateStore } from './ClusterStateStore.ts';
import { EdgeDrain } from './EdgeDrain.ts';
import { RedisLink } from './RedisLink.ts';

export interface ClusterOptions {
  /** May carry a password: never logged. */
  redisUrl: string;
  /** The URL clients are sent to for this edge (read once listening). */
  url(): string;
  version: string;
  heartbeatMs: number;
  maxPackageBytes: number;
  maxStateBytes: number;
  /** Sessions held now (attached or detached), and live sandboxes. */
  load(): { sessions: number; sandboxes: number };
  /** Time a migrating session's accepted work gets to finish. */
  drainWaitMs: number;
  metricsRegistry: Registry;
  log: Logger;
}

/** Where to send a client instead of serving it here. */
export interface Redirect {
  url: string;
  reason: 'least-loaded' | 'draining';
}

/**
 * Cluster mode: the parts that make this edge one of many behind Redis. The registry (heartbeat, load),
 * the router (least loaded edge), the shared package and state stores, and the drain. EdgeServer builds it
 * only when `redisUrl` is set; without it nothing of this runs and no Redis is needed.
 */
export class Cluster {
  readonly link: RedisLink;
  readonly packages: ClusterPackageStore;
  readonly store: ClusterStateStore;
  private readonly registry: ClusterRegistry;
  private readonly router: ClusterRouter;
  private readonly metrics: ClusterMetrics;
  private readonly drainer: EdgeDrain;
  private draining = false;
  private readonly log: Logger;

  constructor(options: ClusterOptions) {
    const { log } = options;
    this.log = log;
    this.metrics = new ClusterMetrics(options.metricsRegistry);
    this.link = new RedisLink({ url: options.redisUrl, log, metrics: this.metrics });
    this.packages = new ClusterPackageStore(this.link, options.maxPackageBytes);
    const edgeId = randomBytes(8).toString('hex');
    this.store = new ClusterStateStore({
      link: this.link,
      edgeId,
      packages: this.packages,
      maxStateBytes: options.maxStateBytes,
      log,
      metrics: this.metrics,
    });
    this.registry = new ClusterRegistry({
      link: this.link,
      edgeId,
      version: options.version,
      url: options.url,
      load: options.load,
      heartbeatMs: options.heartbeatMs,
      log,
    });
    this.router = new ClusterRouter(this.registry, () => options.load().sessions);
    this.drainer = new EdgeDrain({ registry: this.registry, router: this.router, metrics: this.metrics, log, waitMs: options.drainWaitMs });
  }

  /** Connects to Redis (rejects with CLUSTER_UNAVAILABLE naming the redacted URL when it cannot). */
  connect(): Promise<void> {
    return this.link.connect();
  }

  /** Registers this edge; call once it listens (its URL is known). */
  join(): Promise<void> {
    return this.registry.start();
  }

  /**
   * Where a `hello` should go instead of here: while draining, everyone to another edge; otherwise a new
   * session to a less loaded edge. A resume, or a client another edge already sent here, is served here.
   */
  redirect(hello: HelloMessage): Redirect | undefined {
    let redirect: Redirect | undefined;
    if (this.draining) {
      const url = this.router.forMigration();
      if (url !== undefined) redirect = { url, reason: 'draining' };
    } else if (hello.resumeToken === undefined && hello.redirected !== true && this.link.up) {
      const url = this.router.forNewClient();
      if (url !== undefined) redirect = { url, reason: 'least-loaded' };
    }
    if (redirect !== undefined) this.metrics.redirect(redirect.reason === 'draining' ? 'draining' : 'least_loaded');
    return redirect;
  }

  /** Moves every session to other edges (see EdgeDrain). */
  async drain(sessions: readonly Session[]): Promise<{ moved: number; failed: number; stayed: number }> {
    this.draining = true;
    // A move needs the snapshot in Redis and the other edge reading it back: without Redis the sessions stay,
    // and the ordinary shutdown (or the client's own reconnect, later) takes over.
    if (!this.link.up) {
      this.log.warn('Redis unreachable: sessions are not moved to other edges', { sessions: sessions.length });
      return { moved: 0, failed: 0, stayed: sessions.length };
    }
    return this.drainer.run(sessions);
  }

  /** /readyz: not ready while draining, or while Redis is unreachable (new cluster work would be refused). */
  readiness(): { ready: true } | { ready: false; reason: string } {
    if (this.draining) return { ready: false, reason: 'draining: sessions move to other edges' };
    if (!this.link.up) return { ready: false, reason: 'the cluster store (Redis) is unreachable' };
    return { ready: true };
  }

  /** /status's cluster section. */
  status(): Record<string, unknown> {
    const { target, edges } = this.router.describe();
    return {
      edgeId: this.registry.edgeId,
      redis: { url: this.link.shownUrl, connected: this.link.up },
      draining: this.draining,
      newClientsGoTo: target,
      viewAgeMs: this.registry.refreshedAt === 0 ? null : Date.now() - this.registry.refreshedAt,
      edges,
    };
  }

  /** Leaves the registry and closes the connection. */
  async stop(): Promise<void> {
    await this.registry.leave();
    await this.link.close();
  }
}
