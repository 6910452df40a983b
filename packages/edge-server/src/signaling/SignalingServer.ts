import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CloseCode,
  ErrorCode,
  ProtocolChannel,
  RemoteMediaError,
  toErrorPayload,
  WebSocketChannel,
  type ClientMessage,
  type HelloMessage,
  type ProtocolLimits,
} from '@remotemedia/shared';
import { WebSocketServer, type WebSocket } from 'ws';
import { pathOf } from '../http/pathOf.ts';
import type { EdgePhase } from '../lifecycle/EdgePhase.ts';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { Auth } from '../security/Auth.ts';
import type { OriginPolicy } from '../security/OriginPolicy.ts';
import { parseClientMessageWithRefs } from '../session/ClientMessageError.ts';
import type { EdgeChannel } from '../session/EdgeChannel.ts';
import { refsOf, refsOfInvalid, sendErrorReply, type ErrorRefs } from '../session/replies.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import type { Redirect } from '../cluster/Cluster.ts';
import { Heartbeat } from './Heartbeat.ts';
import { PendingConnections } from './PendingConnections.ts';
import { rejectUpgrade } from './rejectUpgrade.ts';

/** Ping interval for signaling sockets; a socket silent for two of these is terminated. */
const HEARTBEAT_MS = 15_000;
/** WebSocket messages a new connection may send before its session is bound (a client needs one: hello). */
const MAX_CHUNKS_BEFORE_SESSION = 16;

export interface SignalingServerOptions {
  limits: ProtocolLimits;
  /** Bytes waiting to be sent on one connection before its client counts as not reading. */
  maxSendQueueBytes: number;
  /** Connections waiting to say hello at once (outside maxSessions); at the cap the oldest is closed. */
  maxPendingConnections: number;
  helloTimeoutMs: number;
  auth: Auth;
  origins: OriginPolicy;
  registry: SessionRegistry;
  metrics: EdgeMetrics;
  log: Logger;
  /** Connections are taken only while the edge is `ready`. */
  phase(): EdgePhase;
  /** Cluster mode: where to send a client instead of serving it here (undefined: serve it). */
  redirect?(hello: HelloMessage): Redirect | undefined;
}

/**
 * WebSocket signaling at /signal: checks an upgrade (path, phase, token, origin) before any WebSocket exists,
 * holds a new connection in the pre-hello pool until its `hello` names a session (new, or one to resume),
 * then binds the connection to that session, which takes over from there.
 */
export class SignalingServer {
  private readonly options: SignalingServerOptions;
  private readonly wss: WebSocketServer;
  private readonly heartbeat = new Heartbeat(HEARTBEAT_MS);
  private readonly pending: PendingConnections;

  constructor(options: SignalingServerOptions) {
    this.options = options;
    // One chunk per WebSocket message, so nothing bigger is legitimate. Deflate stays off: a few compressed
    // bytes could inflate into a large message (a decompression bomb), and each compressed socket holds zlib memory.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.limits.maxChunkBytes, perMessageDeflate: false });
    this.pending = new PendingConnections({
      max: options.maxPendingConnections,
      helloTimeoutMs: options.helloTimeoutMs,
      maxChunks: MAX_CHUNKS_BEFORE_SESSION,
      metrics: options.metrics,
      log: options.log,
    });
  }

  /** The HTTP server's 'upgrade' handler. A refused client costs one HTTP response, never a WebSocket. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const { auth, origins, metrics, log } = this.options;
    socket.on('error', () => undefined);
    const refuse = (status: number, reason: string, metric: Parameters<EdgeMetrics['rejected']>[0]): void => {
      // Logged without the URL's query or any header value but Origin: the token must not reach the logs.
      log.warn('signaling refused', { status, reason, origin: request.headers.origin, remote: request.socket.remoteAddress });
      metrics.rejected(metric);
      rejectUpgrade(socket, status, reason);
    };
    if (pathOf(request) !== '/signal') return refuse(404, 'no WebSocket endpoint here; signaling is at /signal', 'not_found');
    const phase = this.options.phase();
    if (phase !== 'ready') return refuse(503, phase === 'closing' ? 'the edge is shutting down' : 'the edge is starting', 'not_ready');
    const rejection = auth.check(request) ?? origins.check(request);
    if (rejection !== undefined) return refuse(rejection.status, rejection.reason, rejection.status === 401 ? 'unauthorized' : 'forbidden');
    const origin = request.headers.origin;
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, origin));
  }

  /** On shutdown, before sessions drain: a drain longer than two pings must not cut live clients off. */
  stopHeartbeat(): void {
    this.heartbeat.stop();
  }

  /** Ends every signaling socket at once; sessions have been closed (and told why) before this. */
  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  /**
   * A new signaling connection. Until its `hello` says which session it wants (new, or one to resume) it
   * belongs to none; messages sent after the hello wait until the session is bound.
   */
  private accept(ws: WebSocket, origin: string | undefined): void {
    const { limits, metrics, log } = this.options;
    // ws reports a frame-level violation (oversized frame, RSV1 bit, invalid UTF-8, unmasked frame, unknown
    // opcode) as 'error' after it has sent the matching close code itself; unheard, it would end the process.
    ws.on('error', (error: Error & { code?: string }) => {
      metrics.connectionCutOff('websocket_violation');
      log.warn('websocket protocol violation', { code: error.code, error: error.message });
    });
    this.heartbeat.watch(ws);
    const channel: EdgeChannel = new ProtocolChannel(new WebSocketChannel(ws), {
      parse: (value) => parseClientMessageWithRefs(value, limits),
      limits,
      onListenerError: (error) => log.error('listener failed', { error: String(error) }),
      maxQueuedBytes: this.options.maxSendQueueBytes,
    });
    // Bounds what it may send until its session is bound, so messages refused here cost at most that many replies.
    const pending = this.pending.admit(ws, channel);
    const early: ClientMessage[] = [];
    let hello: HelloMessage | undefined;
    const refuse = (error: unknown, refs: ErrorRefs): void => void sendErrorReply(channel, error, refs, metrics);
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
      refuse(error, refsOfInvalid(error));
    });
  }

  /** Opens (or resumes) the session the hello asks for and hands it the connection and what came after the hello. */
  private async bind(
    channel: EdgeChannel,
    hello: HelloMessage,
    early: ClientMessage[],
    origin: string | undefined,
    releasePreHello: () => void,
  ): Promise<void> {
    const { registry, metrics, log } = this.options;
    let opened: Awaited<ReturnType<SessionRegistry['open']>>;
    const redirect = this.options.redirect?.(hello);
    if (redirect !== undefined) {
      releasePreHello();
      log.info('client sent to another edge', { reason: redirect.reason, to: redirect.url });
      await channel.send({ type: 'redirect', url: redirect.url, reason: redirect.reason }).catch(() => undefined);
      channel.close(`redirected to ${redirect.url}`, CloseCode.TryAgainLater);
      return;
    }
    try {
      if (this.options.phase() !== 'ready') throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down', { retryable: true });
      opened = await registry.open(hello);
    } catch (error) {
      releasePreHello();
      // A typed error first (the SDK surfaces it), then a close whose code and reason say the same.
      const payload = toErrorPayload(error);
      metrics.error(payload.code);
      log.warn('session refused', { code: payload.code, reason: payload.message, origin });
      await channel.send({ type: 'error', error: payload }).catch(() => undefined);
      const code =
        payload.code === ErrorCode.TooManySessions || payload.code === ErrorCode.SessionClosed || payload.code === ErrorCode.ClusterUnavailable
          ? CloseCode.TryAgainLater
          : CloseCode.InternalError;
      channel.close(`${payload.code}: ${payload.message}`, code);
      return;
    }
    releasePreHello();
    const { session, kind } = opened;
    metrics.sessionOpened(kind);
    log.info('session opened', { session: session.id, kind, origin, nodes: session.nodeCount });
    try {
      await session.attach(channel, kind !== 'new', early.splice(0));
    } catch (error) {
      channel.close(String(error));
    }
  }
}
