import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEFAULT_LIMITS, ProtocolChannel, WebSocketChannel, parseClientMessage, verifyPackage, type ProtocolLimits } from '@remotemedia/shared';
import { StaticFiles } from './http/StaticFiles.ts';
import { createLogger, type Logger, type LogLevel } from './log/Logger.ts';
import { SandboxPool, type SandboxLimits } from './sandbox/index.ts';
import { PackageCache } from './session/PackageCache.ts';
import { Session } from './session/Session.ts';
import type { EdgeChannel } from './session/EdgeChannel.ts';
import { EDGE_VERSION } from './version.ts';

export interface EdgeServerOptions {
  /** Interface to listen on. Loopback unless you mean to expose the edge. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory with the built demo page; omit to serve no static files. */
  staticDir?: string;
  logLevel?: LogLevel;
  limits?: Partial<ProtocolLimits>;
  sandbox?: Partial<SandboxLimits>;
  /** Worker threads for sandboxes (default: one per core). */
  sandboxWorkers?: number;
  /** Host addresses offered as ICE candidates in addition to the machine's interfaces. */
  iceHostAddresses?: string[];
  /** Frames waiting per node before the oldest is dropped. */
  maxQueuedFrames?: number;
  /** Cached package bytes (sources) kept for reuse across sessions. */
  maxPackageCacheBytes?: number;
}

/** The edge: HTTP (demo, health), WebSocket signaling at /signal, a werift peer and sandboxes per session. */
export class EdgeServer {
  private readonly options: EdgeServerOptions;
  private readonly log: Logger;
  private readonly limits: ProtocolLimits;
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly pool: SandboxPool;
  private readonly packages: PackageCache;
  private readonly files: StaticFiles | undefined;
  private readonly sessions = new Set<Session>();
  private readonly startedAt = Date.now();
  private closing: Promise<void> | undefined;

  constructor(options: EdgeServerOptions = {}) {
    this.options = options;
    this.log = createLogger(options.logLevel ?? 'info');
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.pool = new SandboxPool({ workers: options.sandboxWorkers, limits: options.sandbox });
    this.packages = new PackageCache({ maxBytes: options.maxPackageCacheBytes ?? 64 * 1024 * 1024, verify: verifyPackage });
    this.files = options.staticDir ? new StaticFiles(options.staticDir) : undefined;
    this.http = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        this.log.error('http handler failed', { url: request.url, error: String(error) });
        if (!response.headersSent) response.writeHead(500).end('internal error');
      });
    });
    // One chunk per WebSocket message, so nothing bigger is legitimate; deflate stays off (security-notes.md).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxChunkBytes, perMessageDeflate: false });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** Starts listening; resolves with the URL to open. */
  async listen(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 8080, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const url = this.url;
    this.log.info('edge listening', { url, version: EDGE_VERSION });
    return url;
  }

  get url(): string {
    const address = this.http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stops accepting, closes every session (rejecting their pending work) and the sandboxes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.log.info('edge shutting down', { sessions: this.sessions.size });
      const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
      await Promise.allSettled([...this.sessions].map((session) => session.close('edge shutting down')));
      for (const client of this.wss.clients) client.terminate();
      this.wss.close();
      this.http.closeAllConnections();
      await closed;
      await this.pool.close();
    })();
    return this.closing;
  }

  status(): Record<string, unknown> {
    return {
      version: EDGE_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      sessions: [...this.sessions].map((session) => ({
        id: session.id,
        transport: session.transport,
        nodes: session.nodeCount,
      })),
      packages: this.packages.size,
      sandboxes: this.pool.stats(),
    };
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://edge');
    if (pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (pathname === '/status') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.status()));
      return;
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && this.files && (await this.files.serve(request, response, pathname))) {
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { pathname } = new URL(request.url ?? '/', 'http://edge');
    if (pathname !== '/signal' || this.closing) {
      socket.end(`HTTP/1.1 ${this.closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request.headers.origin));
  }

  private accept(ws: WebSocket, origin: string | undefined): void {
    const session = new Session({
      pool: this.pool,
      packages: this.packages,
      limits: this.limits,
      serverVersion: EDGE_VERSION,
      log: this.log,
      iceHostAddresses: this.options.iceHostAddresses ?? ['127.0.0.1'],
      maxQueuedFrames: this.options.maxQueuedFrames ?? 2,
    });
    this.sessions.add(session);
    const channel: EdgeChannel = new ProtocolChannel(new WebSocketChannel(ws), {
      parse: (value) => parseClientMessage(value, this.limits),
      limits: this.limits,
      onListenerError: (error) => this.log.error('listener failed', { session: session.id, error: String(error) }),
    });
    channel.on('close', () => this.sessions.delete(session));
    session.attachSignaling(channel);
    this.log.info('session opened', { session: session.id, origin });
  }
}
