import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, RemoteMediaError, verifyPackage } from '@remotemedia/shared';
import { Cluster } from './cluster/Cluster.ts';
import type { EdgeServerOptions } from './config/EdgeServerOptions.ts';
import { resolveEdgeOptions, type EdgeSettings } from './config/resolveEdgeOptions.ts';
import { createHttpServer } from './http/createHttpServer.ts';
import { EdgeRouter } from './http/EdgeRouter.ts';
import { sandboxMemory } from './http/statusReport.ts';
import type { EdgePhase } from './lifecycle/EdgePhase.ts';
import { createLogger, type Logger } from './log/Logger.ts';
import { EdgeMetrics } from './metrics/EdgeMetrics.ts';
import { BuiltinPool } from './nodes/BuiltinPool.ts';
import { SnapshotScheduler } from './persistence/SnapshotScheduler.ts';
import type { NodeStore } from './persistence/NodeStore.ts';
import { StateStore } from './persistence/StateStore.ts';
import { SandboxPool } from './sandbox/index.ts';
import { Auth } from './security/Auth.ts';
import { OriginPolicy } from './security/OriginPolicy.ts';
import { PackageCache } from './session/PackageCache.ts';
import { Session } from './session/Session.ts';
import { SessionRegistry } from './session/SessionRegistry.ts';
import { SignalingServer } from './signaling/SignalingServer.ts';
import { DEFAULT_STATE_LIMITS, type StateLimits } from './state/StateLimits.ts';
import { EDGE_VERSION } from './version.ts';
import { resolveEdgeIce, type EdgeIce } from './webrtc/EdgeIce.ts';
import { PeerWorkerPool } from './webrtc/PeerWorkerPool.ts';

export type { EdgeServerOptions };

/**
 * The edge: HTTP (demo, health, status, metrics), WebSocket signaling at /signal, a werift peer and sandboxes
 * per session. This class only builds the parts from one resolved set of settings, wires them to each other
 * and runs the lifecycle: listen, then close with a drain.
 */
export class EdgeServer {
  private readonly settings: EdgeSettings;
  private readonly log: Logger;
  private readonly http: Server;
  private readonly signaling: SignalingServer;
  private readonly pool: SandboxPool;
  private readonly builtins: BuiltinPool;
  private readonly store: NodeStore;
  /** Cluster mode only (a Redis URL is set); undefined on an edge on its own. */
  private readonly cluster: Cluster | undefined;
  private readonly registry: SessionRegistry;
  private readonly snapshots: SnapshotScheduler;
  private readonly auth: Auth;
  private phase: EdgePhase = 'starting';
  /** Resolved in listen(), against the address HTTP really bound; sessions exist only after that. */
  private ice: EdgeIce | undefined;
  /** Threads owning the sessions' werift peers: started with the edge, given the ICE settings in listen(). */
  private readonly peers: PeerWorkerPool;
  private closing: Promise<void> | undefined;

  constructor(options: EdgeServerOptions = {}) {
    const settings = resolveEdgeOptions(options);
    this.settings = settings;
    const { limits } = settings;
    const log = createLogger(settings.logLevel);
    this.log = log;
    this.pool = new SandboxPool({
      workers: settings.sandboxWorkers,
      limits: settings.sandbox,
      maxSandboxes: settings.maxSandboxes,
      fairSharePercent: settings.sandboxFairSharePercent,
      log,
    });
    const metrics = new EdgeMetrics({
      sessionCounts: () => this.registry.counts(),
      sandboxCount: () => this.sandboxCount(),
      sandboxMemory: () => sandboxMemory(this.registry),
      sandboxWorkers: () => this.pool.stats().perWorker,
    });
    this.cluster =
      settings.redisUrl === undefined
        ? undefined
        : new Cluster({
            redisUrl: settings.redisUrl,
            url: () => settings.publicUrl ?? this.url,
            version: EDGE_VERSION,
            heartbeatMs: settings.clusterHeartbeatMs,
            maxPackageBytes: settings.maxPackageBytes,
            maxStateBytes: settings.maxStateBytes,
            load: () => ({ sessions: this.registry.size, sandboxes: this.sandboxCount() }),
            drainWaitMs: settings.shutdownDrainMs,
            metricsRegistry: metrics.registry,
            log,
          });
    const packages = new PackageCache({
      maxBytes: settings.maxPackageCacheBytes,
      verify: (pkg) => verifyPackage(pkg, { maxPackageBytes: settings.maxPackageBytes }),
      shared: this.cluster?.packages,
    });
    this.auth = new Auth(settings.authToken);
    this.peers = new PeerWorkerPool({ size: settings.peerWorkers, limits, log });
    // In cluster mode persistent nodes live in Redis, where every edge can restore them; else in the data dir.
    this.store = this.cluster?.store ?? new StateStore(settings.dataDir, log);
    const stateLimits: StateLimits = { ...DEFAULT_STATE_LIMITS, maxBytes: settings.maxStateBytes };
    this.builtins = new BuiltinPool({
      callTimeoutMs: settings.builtinCallTimeoutMs,
      // A built-in's output travels to the client as a frame inside one message: bound it by both.
      nodeLimits: { maxFrameBytes: limits.maxFrameBytes, maxItemBytes: limits.maxMessageBytes },
      stateLimits,
      log,
      onModelTimings: (timings) => metrics.modelTimings(timings),
    });
    this.registry = new SessionRegistry({
      maxSessions: settings.maxSessions,
      graceMs: settings.sessionGraceMs,
      maxSandboxes: settings.maxSandboxesPerSession,
      store: this.store,
      packages,
      log,
      metrics,
      createSession: (extra) =>
        new Session({
          pool: this.pool,
          builtins: this.builtins,
          packages,
          limits,
          serverVersion: EDGE_VERSION,
          log,
          metrics,
          store: this.store,
          ice: this.requireIce(),
          peers: this.peers,
          maxQueuedFrames: settings.maxQueuedFrames,
          frameDeadlineMs: settings.frameDeadlineMs,
          maxSandboxes: settings.maxSandboxesPerSession,
          maxBuiltins: settings.maxBuiltinsPerSession,
          stateLimits,
          messagesPerSecond: settings.messagesPerSecond,
          maxSendQueueBytes: settings.maxSendQueueBytes,
          errorRepliesPerSecond: settings.errorRepliesPerSecond,
          ...extra,
        }),
    });
    const phase = (): EdgePhase => this.phase;
    const router = new EdgeRouter({
      auth: this.auth,
      staticDir: settings.staticDir,
      sdkDir: settings.sdkDir,
      phase,
      registry: this.registry,
      packages,
      pool: this.pool,
      metrics,
      maxSessions: settings.maxSessions,
      startedAt: Date.now(),
      cluster: this.cluster,
      drain: this.cluster === undefined ? undefined : () => this.drain(),
    });
    this.http = createHttpServer({
      headersTimeoutMs: settings.headersTimeoutMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      route: (request, response) => router.route(request, response),
      metrics,
      log,
    });
    this.signaling = new SignalingServer({
      limits,
      maxSendQueueBytes: settings.maxSendQueueBytes,
      maxPendingConnections: settings.maxPendingConnections,
      helloTimeoutMs: settings.helloTimeoutMs,
      auth: this.auth,
      origins: new OriginPolicy(settings.allowedOrigins),
      registry: this.registry,
      metrics,
      log,
      phase,
      redirect: this.cluster === undefined ? undefined : (hello) => this.cluster?.redirect(hello),
    });
    this.http.on('upgrade', (request, socket, head) => this.signaling.upgrade(request, socket, head));
    this.snapshots = new SnapshotScheduler({
      intervalMs: settings.snapshotIntervalMs,
      sessions: () => this.registry.all(),
      active: () => this.phase === 'ready',
    });
  }

  /** Prepares the data dir, starts listening and resolves with the URL to open. */
  async listen(): Promise<string> {
    const log = this.log;
    await this.store.init();
    // Cluster mode refuses to start without Redis: an edge that cannot share state would lose it on its death.
    await this.cluster?.connect();
    const { host, port, iceListenIp, iceAnnouncedIp, icePortRange, iceServers } = this.settings;
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    // A failed accept (e.g. out of file descriptors) is an 'error' on the server: logged, never fatal.
    this.http.on('error', (error) => this.log.error('http server error', { error: String(error) }));
    try {
      this.ice = await resolveEdgeIce(
        { listenIp: iceListenIp, announcedIp: iceAnnouncedIp, portRange: icePortRange, iceServers },
        (this.http.address() as AddressInfo).address,
      );
    } catch (error) {
      await new Promise<void>((resolve) => this.http.close(() => resolve()));
      await this.cluster?.stop();
      throw error;
    }
    this.peers.configure(this.ice.peer);
    // Ready means a client's offer is answered within its timeout: the threads have loaded werift by then.
    await this.peers.started();
    if (this.cluster !== undefined) {
      await this.cluster.join();
      // An edge of a cluster may get another edge's sessions at any time (its death, its drain): their restore
      // must not wait for the sandbox and built-in workers to start.
      void this.pool.warmUp().catch((error: unknown) => log.warn('sandbox workers did not start', { error: String(error) }));
      void this.builtins.decodeState({ json: {} }, 'warm-up').catch(() => undefined);
    }
    this.snapshots.start();
    this.phase = 'ready';
    const url = this.url;
    this.log.info('edge listening', {
      url,
      version: EDGE_VERSION,
      state: this.store.location,
      cluster: this.cluster !== undefined,
      auth: this.auth.enabled,
      iceListenIp: this.ice.listenIp,
      iceCandidates: this.ice.peer.interfaces ? ['(every IPv4 interface)', ...(this.ice.peer.hostAddresses ?? [])] : this.ice.peer.hostAddresses,
    });
    return url;
  }

  /**
   * Cluster mode: moves every session to other edges (POST /drain, `remotemedia-edge drain`); the edge stays
   * up, sends every new client elsewhere and reports not ready, until it is stopped.
   */
  async drain(): Promise<{ moved: number; failed: number; stayed: number }> {
    if (this.cluster === undefined) throw new RemoteMediaError(ErrorCode.InvalidConfig, 'this edge is not in cluster mode (no redisUrl)');
    return this.cluster.drain(this.registry.all());
  }

  private sandboxCount(): number {
    return this.registry.all().reduce((sum, session) => sum + session.sandboxes().length, 0);
  }

  private requireIce(): EdgeIce {
    if (this.ice === undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is starting', { retryable: true });
    return this.ice;
  }

  /** @internal Tests only: the peer worker threads, to end one as a crash would. */
  get peerWorkerPool(): PeerWorkerPool {
    return this.peers;
  }

  get url(): string {
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /**
   * Graceful shutdown. /readyz answers 503 and new sessions are refused at once, while the listener stays up
   * so probes see why; in-flight frames get `shutdownDrainMs` to finish; persistent nodes are snapshotted;
   * then sessions, peers, sockets and sandboxes close. In cluster mode the sessions are first moved to other
   * edges (live migration, see cluster/EdgeDrain.ts), and the edge leaves the registry last. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.phase = 'closing';
      this.log.info('edge shutting down', { sessions: this.registry.size });
      this.snapshots.stop();
      this.signaling.stopHeartbeat();
      if (this.cluster !== undefined) await this.cluster.drain(this.registry.all());
      await this.registry.closeAll('edge shutting down', this.settings.shutdownDrainMs);
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      this.signaling.close();
      this.http.closeAllConnections();
      await closed;
      await Promise.all([this.pool.close(), this.builtins.close(), this.peers.close(), this.cluster?.stop()]);
      this.log.info('edge stopped');
    })();
    return this.closing;
  }
}
