import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CloseCode,
  DEFAULT_LIMITS,
  DEFAULT_MAX_PACKAGE_BYTES,
  ErrorCode,
  ProtocolChannel,
  RemoteMediaError,
  WebSocketChannel,
  toErrorPayload,
  verifyPackage,
  type ClientMessage,
  type HelloMessage,
  type IceServer,
  type ProtocolLimits,
} from '@remotemedia/shared';
import { StaticFiles } from './http/StaticFiles.ts';
import { answerClientError } from './http/answerClientError.ts';
import { handleOpsRoute } from './http/opsRoutes.ts';
import { sandboxMemory, statusReport } from './http/statusReport.ts';
import { createLogger, type Logger, type LogLevel } from './log/Logger.ts';
import { EdgeMetrics } from './metrics/EdgeMetrics.ts';
import { StateStore } from './persistence/StateStore.ts';
import { SandboxPool, type SandboxLimits } from './sandbox/index.ts';
import { Auth } from './security/Auth.ts';
import { OriginPolicy } from './security/OriginPolicy.ts';
import { ClientMessageError, parseClientMessageWithRefs } from './session/ClientMessageError.ts';
import { BuiltinPool } from './nodes/BuiltinPool.ts';
import { DEFAULT_STATE_LIMITS, type StateLimits } from './state/StateLimits.ts';
import { PackageCache } from './session/PackageCache.ts';
import { Session } from './session/Session.ts';
import { SessionRegistry } from './session/SessionRegistry.ts';
import type { EdgeChannel } from './session/EdgeChannel.ts';
import { Heartbeat } from './signaling/Heartbeat.ts';
import { PendingConnections } from './signaling/PendingConnections.ts';
import { rejectUpgrade } from './signaling/rejectUpgrade.ts';
import { EDGE_VERSION } from './version.ts';
import { resolveEdgeIce, type EdgeIce } from './webrtc/EdgeIce.ts';

export interface EdgeServerOptions {
  /** Interface to listen on. Loopback unless you mean to expose the edge. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory with the built demo page; omit to serve no static files. */
  staticDir?: string;
  /** Directory with the SDK's browser bundles, served at /sdk/ to any origin; omit to serve none. */
  sdkDir?: string;
  logLevel?: LogLevel;
  limits?: Partial<ProtocolLimits>;
  sandbox?: Partial<SandboxLimits>;
  /** Worker threads for sandboxes (default: one per core). */
  sandboxWorkers?: number;
  /** IPv4 address the WebRTC (ICE) UDP sockets bind to; unset: follows `host` (loopback stays loopback). */
  iceListenIp?: string;
  /** Address the SDP answer advertises instead of the listen address, for an edge behind NAT. */
  iceAnnouncedIp?: string;
  /** Inclusive UDP port range for ICE sockets (min < max); unset: any free port. */
  icePortRange?: [number, number];
  /** STUN/TURN servers handed to clients in `welcome` (the edge itself uses none). */
  iceServers?: IceServer[];
  /** Frames waiting per node before the oldest is dropped. */
  maxQueuedFrames?: number;
  /** Cached package bytes (sources) kept for reuse across sessions. */
  maxPackageCacheBytes?: number;
  /** Bearer token for signaling, /status and /metrics; unset: open. */
  authToken?: string;
  /** Browser origins allowed to open a session; empty or unset: any. */
  allowedOrigins?: string[];
  /** Where persistent nodes' state and their packages are kept. */
  dataDir?: string;
  /** Sessions held at once (attached or waiting to be resumed). */
  maxSessions?: number;
  /** Largest user node package (sum of module sources). */
  maxPackageBytes?: number;
  maxSandboxesPerSession?: number;
  /** Sandboxes alive at once over all sessions (each has a fixed memory, so this bounds the edge's). */
  maxSandboxes?: number;
  /**
   * Percentage of maxSandboxes in use from which a session may add a sandbox only while it holds fewer than
   * half of those still free, so a few greedy sessions cannot leave none for newcomers (default 50; 100: off).
   */
  sandboxFairSharePercent?: number;
  /** Protocol messages one session may send per second. */
  messagesPerSecond?: number;
  /** How often persistent nodes are snapshotted; 0: only on save, expiry and shutdown. */
  snapshotIntervalMs?: number;
  /** How long a session whose connection dropped waits to be resumed. */
  sessionGraceMs?: number;
  /** Time in-flight frames get to finish on shutdown before their sessions are closed anyway. */
  shutdownDrainMs?: number;
  /** Signaling connections waiting to say hello (outside maxSessions); at the cap the oldest is closed. */
  maxPendingConnections?: number;
  /** Time a new signaling connection has to say hello. */
  helloTimeoutMs?: number;
  /** Time an HTTP client has to send its request headers; at most requestTimeoutMs. */
  headersTimeoutMs?: number;
  /** Time an HTTP client has to send its whole request. */
  requestTimeoutMs?: number;
  /** Bytes waiting to be sent on one connection before its client counts as not reading (at least maxMessageBytes). */
  maxSendQueueBytes?: number;
  /** Error replies per second one connection gets for refused input. */
  errorRepliesPerSecond?: number;
  /** Built-in nodes one session may hold at once. */
  maxBuiltinsPerSession?: number;
  /** Time one call of a built-in node may take before its worker is replaced and the node discarded. */
  builtinCallTimeoutMs?: number;
  /** Largest instance state (superjson, estimated bytes) a deploy may carry or a save may write. */
  maxStateBytes?: number;
}

/** Ping interval for signaling sockets; a socket silent for two of these is terminated. */
const HEARTBEAT_MS = 15_000;
/** WebSocket messages a new connection may send before its session is bound (a client needs one: hello). */
const MAX_CHUNKS_BEFORE_SESSION = 16;
/** Idle keep-alive HTTP connections are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

type Phase = 'starting' | 'ready' | 'closing';

/** The edge: HTTP (demo, health, status, metrics), WebSocket signaling at /signal, a werift peer and sandboxes per session. */
export class EdgeServer {
  private readonly options: EdgeServerOptions;
  private readonly log: Logger;
  private readonly limits: ProtocolLimits;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly pool: SandboxPool;
  private readonly builtins: BuiltinPool;
  private readonly packages: PackageCache;
  private readonly files: StaticFiles[];
  private readonly auth: Auth;
  private readonly origins: OriginPolicy;
  private readonly store: StateStore;
  private readonly metrics: EdgeMetrics;
  private readonly registry: SessionRegistry;
  private readonly heartbeat: Heartbeat;
  private readonly maxSessions: number;
  private readonly maxSendQueueBytes: number;
  private readonly pending: PendingConnections;
  private readonly startedAt = Date.now();
  private phase: Phase = 'starting';
  /** Resolved in listen(), against the address HTTP really bound; sessions exist only after that. */
  private ice: EdgeIce | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private snapshotRunning = false;
  private closing: Promise<void> | undefined;

  constructor(options: EdgeServerOptions = {}) {
    this.options = options;
    this.log = createLogger(options.logLevel ?? 'info');
    const limits = { ...DEFAULT_LIMITS, ...options.limits };
    // Reassembly must be able to hold at least one whole message of the configured size.
    limits.maxInflightBytes = Math.max(limits.maxInflightBytes, limits.maxMessageBytes);
    this.limits = limits;
    this.maxSessions = options.maxSessions ?? 100;
    // One whole message must always fit, or a legitimate large output would count as a reader not reading.
    this.maxSendQueueBytes = Math.max(options.maxSendQueueBytes ?? 16 * 1024 * 1024, limits.maxMessageBytes);
    // Results leave a sandbox only within the protocol's bounds, checked before the host copies anything out.
    const sandbox = { maxResultBytes: limits.maxMessageBytes, maxFrameBytes: limits.maxFrameBytes, ...options.sandbox };
    this.pool = new SandboxPool({ workers: options.sandboxWorkers, limits: sandbox, maxSandboxes: options.maxSandboxes, fairSharePercent: options.sandboxFairSharePercent });
    const maxPackageBytes = options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES;
    this.packages = new PackageCache({
      maxBytes: options.maxPackageCacheBytes ?? 64 * 1024 * 1024,
      verify: (pkg) => verifyPackage(pkg, { maxPackageBytes }),
    });
    this.files = [
      ...(options.sdkDir ? [new StaticFiles(options.sdkDir, { prefix: '/sdk/', anyOrigin: true })] : []),
      ...(options.staticDir ? [new StaticFiles(options.staticDir)] : []),
    ];
    this.auth = new Auth(options.authToken);
    this.origins = new OriginPolicy(options.allowedOrigins ?? []);
    this.store = new StateStore(options.dataDir ?? '.remotemedia-data', this.log);
    const stateLimits: StateLimits = { ...DEFAULT_STATE_LIMITS, maxBytes: options.maxStateBytes ?? DEFAULT_STATE_LIMITS.maxBytes };
    this.builtins = new BuiltinPool({
      callTimeoutMs: options.builtinCallTimeoutMs ?? 5000,
      // A built-in's output travels to the client as a frame inside one message: bound it by both.
      nodeLimits: { maxFrameBytes: limits.maxFrameBytes, maxItemBytes: limits.maxMessageBytes },
      stateLimits,
      log: this.log,
    });
    this.metrics = new EdgeMetrics({
      sessionCounts: () => this.registry.counts(),
      sandboxCount: () => this.registry.all().reduce((sum, session) => sum + session.sandboxes().length, 0),
      sandboxMemory: () => sandboxMemory(this.registry),
    });
    const maxSandboxes = options.maxSandboxesPerSession ?? 16;
    this.registry = new SessionRegistry({
      maxSessions: this.maxSessions,
      graceMs: options.sessionGraceMs ?? 30_000,
      maxSandboxes,
      store: this.store,
      packages: this.packages,
      log: this.log,
      metrics: this.metrics,
      createSession: (extra) =>
        new Session({
          pool: this.pool,
          builtins: this.builtins,
          packages: this.packages,
          limits: this.limits,
          serverVersion: EDGE_VERSION,
          log: this.log,
          metrics: this.metrics,
          store: this.store,
          ice: this.requireIce(),
          maxQueuedFrames: this.options.maxQueuedFrames ?? 2,
          maxSandboxes,
          maxBuiltins: this.options.maxBuiltinsPerSession ?? 64,
          stateLimits,
          messagesPerSecond: this.options.messagesPerSecond ?? 2000,
          maxSendQueueBytes: this.maxSendQueueBytes,
          errorRepliesPerSecond: this.options.errorRepliesPerSecond ?? 200,
          ...extra,
        }),
    });
    const headersTimeout = options.headersTimeoutMs ?? 10_000;
    const httpOptions = {
      headersTimeout,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // Node checks both timeouts only this often (30 s by default): a trickler would outlive its deadline.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    };
    this.http = createServer(httpOptions, (request, response) => {
      this.route(request, response).catch((error: unknown) => {
        // The path only: a query string may carry the auth token.
        this.log.error('http handler failed', { path: pathOf(request), error: String(error) });
        if (!response.headersSent) response.writeHead(500).end('internal error');
      });
    });
    this.http.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
      this.metrics.connectionCutOff('http_client_error');
      this.log.debug('http client error', { code: error.code });
      answerClientError(error, socket);
    });
    this.pending = new PendingConnections({
      max: options.maxPendingConnections ?? 32,
      helloTimeoutMs: options.helloTimeoutMs ?? 5000,
      maxChunks: MAX_CHUNKS_BEFORE_SESSION,
      metrics: this.metrics,
      log: this.log,
    });
    // One chunk per WebSocket message, so nothing bigger is legitimate; deflate stays off (security-notes.md).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxChunkBytes, perMessageDeflate: false });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    this.heartbeat = new Heartbeat(HEARTBEAT_MS);
  }

  /** Prepares the data dir, starts listening and resolves with the URL to open. */
  async listen(): Promise<string> {
    await this.store.init();
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 8080, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    // A failed accept (e.g. out of file descriptors) is an 'error' on the server: logged, never fatal.
    this.http.on('error', (error) => this.log.error('http server error', { error: String(error) }));
    try {
      this.ice = await resolveEdgeIce(
        { listenIp: this.options.iceListenIp, announcedIp: this.options.iceAnnouncedIp, portRange: this.options.icePortRange, iceServers: this.options.iceServers },
        (this.http.address() as AddressInfo).address,
      );
    } catch (error) {
      await new Promise<void>((resolve) => this.http.close(() => resolve()));
      throw error;
    }
    const interval = this.options.snapshotIntervalMs ?? 30_000;
    if (interval > 0) {
      this.snapshotTimer = setInterval(() => void this.snapshotAll(), interval);
      this.snapshotTimer.unref();
    }
    this.phase = 'ready';
    const url = this.url;
    this.log.info('edge listening', {
      url,
      version: EDGE_VERSION,
      dataDir: this.store.dataDir,
      auth: this.auth.enabled,
      iceListenIp: this.ice.listenIp,
      iceCandidates: this.ice.peer.interfaces ? ['(every IPv4 interface)', ...(this.ice.peer.hostAddresses ?? [])] : this.ice.peer.hostAddresses,
    });
    return url;
  }

  private requireIce(): EdgeIce {
    if (this.ice === undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is starting', { retryable: true });
    return this.ice;
  }

  get url(): string {
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /**
   * Graceful shutdown. /readyz answers 503 and new sessions are refused at once, while the listener stays up
   * so probes see why; in-flight frames get `shutdownDrainMs` to finish; persistent nodes are snapshotted;
   * then sessions, peers, sockets and sandboxes close. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.phase = 'closing';
      this.log.info('edge shutting down', { sessions: this.registry.size });
      clearInterval(this.snapshotTimer);
      this.heartbeat.stop();
      await this.registry.closeAll('edge shutting down', this.options.shutdownDrainMs ?? 5000);
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      for (const client of this.wss.clients) client.terminate();
      this.wss.close();
      this.http.closeAllConnections();
      await closed;
      await Promise.all([this.pool.close(), this.builtins.close()]);
      this.log.info('edge stopped');
    })();
    return this.closing;
  }

  /** One interval tick: snapshot every persistent node, never two ticks at once. */
  private async snapshotAll(): Promise<void> {
    if (this.snapshotRunning || this.phase !== 'ready') return;
    this.snapshotRunning = true;
    try {
      await Promise.allSettled(this.registry.all().filter((session) => !session.isClosing).map((session) => session.snapshotPersistent('interval')));
    } finally {
      this.snapshotRunning = false;
    }
  }

  private readiness(): { ready: true } | { ready: false; reason: string } {
    if (this.phase === 'starting') return { ready: false, reason: 'starting' };
    if (this.phase === 'closing') return { ready: false, reason: 'shutting down' };
    if (this.registry.full) return { ready: false, reason: `at maxSessions (${this.maxSessions})` };
    return { ready: true };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = pathOf(request);
    const handled = await handleOpsRoute(pathname, request, response, {
      auth: this.auth,
      readiness: () => this.readiness(),
      status: () =>
        statusReport({
          startedAt: this.startedAt,
          phase: this.phase,
          registry: this.registry,
          packages: this.packages,
          pool: this.pool,
          maxSessions: this.maxSessions,
        }),
      metrics: () => this.metrics.text(),
    });
    if (handled) return;
    if (request.method === 'GET' || request.method === 'HEAD') {
      for (const files of this.files) if (await files.serve(request, response, pathname)) return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  /** Everything is checked here, before the WebSocket exists: a refused client costs one HTTP response. */
  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const refuse = (status: number, reason: string, metric: Parameters<EdgeMetrics['rejected']>[0]): void => {
      // Logged without the URL's query or any header value but Origin: the token must not reach the logs.
      this.log.warn('signaling refused', { status, reason, origin: request.headers.origin, remote: request.socket.remoteAddress });
      this.metrics.rejected(metric);
      rejectUpgrade(socket, status, reason);
    };
    if (pathOf(request) !== '/signal') return refuse(404, 'no WebSocket endpoint here; signaling is at /signal', 'not_found');
    if (this.phase !== 'ready') return refuse(503, this.phase === 'closing' ? 'the edge is shutting down' : 'the edge is starting', 'not_ready');
    const rejection = this.auth.check(request) ?? this.origins.check(request);
    if (rejection !== undefined) return refuse(rejection.status, rejection.reason, rejection.status === 401 ? 'unauthorized' : 'forbidden');
    const origin = request.headers.origin;
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, origin));
  }

  /**
   * A new signaling connection. Until its `hello` says which session it wants (new, or one to resume) it
   * belongs to none; messages sent after the hello wait until the session is bound.
   */
  private accept(ws: WebSocket, origin: string | undefined): void {
    // ws reports a frame-level violation (oversized frame, RSV1 bit, invalid UTF-8, unmasked frame, unknown
    // opcode) as 'error' after it has sent the matching close code itself; unheard, it would end the process.
    ws.on('error', (error: Error & { code?: string }) => {
      this.metrics.connectionCutOff('websocket_violation');
      this.log.warn('websocket protocol violation', { code: error.code, error: error.message });
    });
    this.heartbeat.watch(ws);
    const channel: EdgeChannel = new ProtocolChannel(new WebSocketChannel(ws), {
      parse: (value) => parseClientMessageWithRefs(value, this.limits),
      limits: this.limits,
      onListenerError: (error) => this.log.error('listener failed', { error: String(error) }),
      maxQueuedBytes: this.maxSendQueueBytes,
    });
    // Bounds what it may send until its session is bound, so messages refused here cost at most that many replies.
    const pending = this.pending.admit(ws, channel);
    const early: ClientMessage[] = [];
    let hello: HelloMessage | undefined;
    const refuse = (error: unknown, refs: { id?: number; nodeId?: string; seq?: number }): void => {
      const payload = toErrorPayload(error);
      this.metrics.error(payload.code);
      void channel.send({ type: 'error', ...definedRefs(refs), error: payload }).catch(() => undefined);
    };
    const offMessage = channel.on('message', (message) => {
      if (hello !== undefined) {
        early.push(message);
        return;
      }
      if (message.type !== 'hello') {
        refuse(new RemoteMediaError(ErrorCode.InvalidInput, `"${message.type}" before hello: say hello first`), refsOf(message));
        return;
      }
      hello = message;
      pending.helloReceived();
      void this.bind(channel, message, early, origin, () => {
        pending.bound();
        offMessage();
        offInvalid();
      });
    });
    const offInvalid = channel.on('invalid', (error) => {
      refuse(error, error instanceof ClientMessageError ? { id: error.id, nodeId: error.nodeId, seq: error.seq } : {});
    });
  }

  private async bind(
    channel: EdgeChannel,
    hello: HelloMessage,
    early: ClientMessage[],
    origin: string | undefined,
    releasePreHello: () => void,
  ): Promise<void> {
    let opened: Awaited<ReturnType<SessionRegistry['open']>>;
    try {
      if (this.phase !== 'ready') throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down', { retryable: true });
      opened = await this.registry.open(hello);
    } catch (error) {
      releasePreHello();
      // A typed error first (the SDK surfaces it), then a close whose code and reason say the same.
      const payload = toErrorPayload(error);
      this.metrics.error(payload.code);
      this.log.warn('session refused', { code: payload.code, reason: payload.message, origin });
      await channel.send({ type: 'error', error: payload }).catch(() => undefined);
      const code = payload.code === ErrorCode.TooManySessions || payload.code === ErrorCode.SessionClosed ? CloseCode.TryAgainLater : CloseCode.InternalError;
      channel.close(`${payload.code}: ${payload.message}`, code);
      return;
    }
    releasePreHello();
    const { session, kind } = opened;
    this.metrics.sessionOpened(kind);
    this.log.info('session opened', { session: session.id, kind, origin, nodes: session.nodeCount });
    try {
      await session.attach(channel, kind !== 'new', early.splice(0));
    } catch (error) {
      channel.close(String(error));
    }
  }
}

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://edge').pathname;
  } catch {
    return '/';
  }
}

function refsOf(message: ClientMessage): { id?: number; nodeId?: string; seq?: number } {
  if (message.type === 'frame') return { nodeId: message.nodeId, seq: message.seq };
  return 'id' in message ? { id: message.id } : {};
}

function definedRefs(refs: { id?: number; nodeId?: string; seq?: number }): { id?: number; nodeId?: string; seq?: number } {
  return {
    ...(refs.id !== undefined ? { id: refs.id } : {}),
    ...(refs.nodeId !== undefined ? { nodeId: refs.nodeId } : {}),
    ...(refs.seq !== undefined ? { seq: refs.seq } : {}),
  };
}
