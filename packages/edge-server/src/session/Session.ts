import { randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode, RemoteMediaError, type ClientMessage, type NodePackage, type ProtocolLimits, type WelcomeMessage } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { BuiltinPool } from '../nodes/BuiltinPool.ts';
import type { SandboxedEdgeNode } from '../nodes/EdgeNode.ts';
import type { NodeStore } from '../persistence/NodeStore.ts';
import type { PersistedNode } from '../persistence/StateStore.ts';
import { resumeKey } from '../persistence/resumeKey.ts';
import type { SandboxPool } from '../sandbox/index.ts';
import type { StateLimits } from '../state/StateLimits.ts';
import type { EdgeIce } from '../webrtc/EdgeIce.ts';
import type { PeerWorkerPool } from '../webrtc/PeerWorkerPool.ts';
import { ClientDispatcher } from './ClientDispatcher.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import type { SnapshotTrigger } from './NodePersistence.ts';
import { NodeTable } from './NodeTable.ts';
import type { PackageCache } from './PackageCache.ts';
import { EDGE_VIDEO_CODECS } from '../media/FrameCoding.ts';
import { refsOf, sendErrorReply } from './replies.ts';
import { SessionConnection, type SessionState } from './SessionConnection.ts';
import { SessionGate } from './SessionGate.ts';

export type { SnapshotTrigger } from './NodePersistence.ts';
export type { SessionState } from './SessionConnection.ts';

/** What the registry needs to hear from a session. */
export interface SessionHooks {
  /** The client's connection went away; the session waits to be resumed. */
  detached(session: Session, reason: string): void;
  /** The session is gone for good (its sandboxes are being disposed). */
  closed(session: Session): void;
}

export interface SessionOptions {
  pool: SandboxPool;
  /** Worker threads for built-in nodes. */
  builtins: BuiltinPool;
  packages: PackageCache;
  limits: ProtocolLimits;
  serverVersion: string;
  log: Logger;
  metrics: EdgeMetrics;
  store: NodeStore;
  hooks: SessionHooks;
  /** The STUN/TURN list for the client (the edge's own peers are set up by the peer workers). */
  ice: EdgeIce;
  /** The peer worker threads: the session's werift peer lives in one of them. */
  peers: PeerWorkerPool;
  maxQueuedFrames: number;
  /** A node's frame deadline unless its deploy/create sets one (0: none). */
  frameDeadlineMs: number;
  /** Sandboxed nodes this session may hold at once (built-in nodes run natively and do not count). */
  maxSandboxes: number;
  /** Built-in nodes this session may hold at once. */
  maxBuiltins: number;
  /** Bounds on instance state: deployed state is checked (and decoded) in the built-in worker, saved state here. */
  stateLimits: StateLimits;
  /** Protocol messages per second the client may send, over all its channels. */
  messagesPerSecond: number;
  /**
   * Bytes waiting to be sent on one channel before its client counts as not reading (SLOW_CONSUMER); above
   * half of it, the channel's requests are refused unprocessed (RATE_LIMITED) until the client reads.
   */
  maxSendQueueBytes: number;
  /** Error replies per second each channel gets for input refused without work (invalid, over the rate limit). */
  errorRepliesPerSecond: number;
  /** Given when the session is rebuilt from the data dir: its old id and the token the client presented. */
  identity?: { id: string; resumeToken: string };
}

/**
 * One client. Signaling and the fallback path run over its WebSocket; once the data channel opens the
 * client moves its traffic there. Each request is answered on the channel it came in on.
 *
 * A session outlives its connection: when the WebSocket closes the session is detached (nodes and their
 * state kept) and the registry gives the client a grace period to come back with its resume token.
 *
 * This class wires the parts: the connection (channels, peer), the gate (rate limit, refusals), the
 * dispatcher (each message to its owner) and the node table (nodes, budgets, persistence).
 */
export class Session {
  readonly id: string;
  /** Secret: never logged, never written to disk (only its hash, `key`). */
  readonly resumeToken: string;
  /** SHA-256 of the resume token: how the registry and the data dir know this session. */
  readonly key: string;
  readonly startedAt = Date.now();
  private readonly options: SessionOptions;
  private readonly connection: SessionConnection;
  private readonly gate: SessionGate;
  private readonly table: NodeTable;
  private readonly dispatcher: ClientDispatcher;
  private closing: Promise<void> | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
    this.id = options.identity?.id ?? randomUUID();
    this.resumeToken = options.identity?.resumeToken ?? randomBytes(24).toString('base64url');
    this.key = resumeKey(this.resumeToken);
    const isClosing = (): boolean => this.closing !== undefined;
    // Half the send-queue cap: a burst of replies still drains, a client that does not read stops being served
    // well before it is closed.
    this.gate = new SessionGate({ ...options, sessionId: this.id, maxUnreadReplyBytes: Math.floor(options.maxSendQueueBytes / 2) });
    this.connection = new SessionConnection({
      ...options,
      sessionId: this.id,
      isClosing,
      hooks: {
        message: (message, via) => this.receive(message, via),
        invalid: (error, via) => this.gate.invalid(error, via),
        detached: (reason) => options.hooks.detached(this, reason),
      },
    });
    this.table = new NodeTable({
      ...options,
      sessionId: this.id,
      sessionKey: this.key,
      isClosing,
      notify: (event) => this.connection.sendEvent(event),
    });
    this.dispatcher = new ClientDispatcher({
      ...options,
      sessionId: this.id,
      connection: this.connection,
      table: this.table,
      // Persistent nodes are saved as at expiry, so the token still brings them back later.
      bye: () => this.close('the client closed the session', { snapshot: 'expiry' }),
    });
  }

  get state(): SessionState {
    return this.connection.state;
  }

  /** The transport the client is using for protocol traffic now. */
  get transport(): 'datachannel' | 'websocket' | 'none' {
    return this.connection.transport;
  }

  get nodeCount(): number {
    return this.table.size;
  }

  get isClosing(): boolean {
    return this.closing !== undefined;
  }

  /**
   * Binds the client's (new) signaling connection and answers its `hello`; `early` are messages that came
   * after the hello while the session was being found. A connection still attached (a half-open socket the
   * client gave up on) is replaced: its peer goes with it.
   */
  async attach(channel: EdgeChannel, resumed: boolean, early: readonly ClientMessage[] = []): Promise<void> {
    if (this.closing) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the session closed while the connection was being attached');
    this.connection.bind(channel);
    // Queued before any reply to the early messages: the channel sends in order.
    const welcomed = channel.send(this.welcome(resumed)).catch(() => undefined);
    for (const message of early) this.receive(message, channel);
    await welcomed;
    this.connection.confirmOpen(channel);
  }

  /** Handles one message that arrived on `via` (the registry replays those that came before the welcome). */
  receive(message: ClientMessage, via: EdgeChannel): void {
    if (this.closing) {
      const error = new RemoteMediaError(ErrorCode.SessionClosed, 'the session is closing (the edge is shutting down or the session expired)', {
        retryable: true,
      });
      void sendErrorReply(via, error, refsOf(message), this.options.metrics);
      return;
    }
    if (this.gate.admit(message, via)) this.dispatcher.dispatch(message, via);
  }

  /** Rebuilds a persisted node from its package and saved fields (the constructor is not run). */
  restoreNode(record: PersistedNode, pkg: NodePackage): Promise<void> {
    return this.table.restore(record, pkg);
  }

  /** Resolves once every frame queued so far has been processed. */
  drain(): Promise<void> {
    return this.table.drain();
  }

  /** Writes every persistent node's state; failures are logged and counted, the rest still get written. */
  snapshotPersistent(trigger: SnapshotTrigger): Promise<number> {
    return this.table.snapshotPersistent(trigger);
  }

  /**
   * Ends the session: optionally snapshots persistent nodes first (their files stay: a later resume restores
   * them), then rejects queued frames, disposes sandboxes, closes channels and the peer. Idempotent.
   */
  close(reason: string, options: { snapshot?: SnapshotTrigger } = {}): Promise<void> {
    this.closing ??= this.closeOnce(reason, options.snapshot);
    return this.closing;
  }

  /**
   * Moves the session to the edge at `url` (cluster drain). New input is refused from the first moment
   * (SESSION_CLOSED, retryable: the client sees every such frame fail), what was accepted before is answered,
   * then persistent nodes are snapshotted into the shared store, the client is told where to go, and the session
   * closes here. The client resumes it there with its token; `waitMs` bounds the wait for accepted work.
   */
  migrate(url: string, waitMs: number): Promise<void> {
    this.closing ??= (async () => {
      await Promise.race([Promise.all([this.dispatcher.idle(), this.table.drain()]), sleep(waitMs)]);
      const saved = await this.snapshotPersistent('migrate');
      this.options.log.info('session migrating', { session: this.id, persistentNodes: saved });
      await this.connection.sendEventNow({ type: 'redirect', url, reason: 'draining' });
      await this.closeOnce('moved to another edge of the cluster', undefined);
    })();
    return this.closing;
  }

  /** For /status. */
  describe(): Record<string, unknown> {
    const detachedSince = this.connection.detachedSince;
    return {
      id: this.id,
      state: this.connection.state,
      transport: this.connection.transport,
      // Its code got a sandbox worker terminated: its sandboxes run apart from other sessions'.
      quarantined: this.options.pool.isQuarantined(this.id),
      startedAt: new Date(this.startedAt).toISOString(),
      ...(detachedSince !== undefined ? { detachedForMs: Date.now() - detachedSince } : {}),
      nodes: this.table.describe(),
    };
  }

  /** The session's live sandboxes, for /status and /metrics. */
  sandboxes(): Array<{ nodeId: string; nodeName: string; node: SandboxedEdgeNode }> {
    return this.table.sandboxes();
  }

  private async closeOnce(reason: string, trigger: SnapshotTrigger | undefined): Promise<void> {
    if (trigger !== undefined) await this.snapshotPersistent(trigger);
    this.options.log.info('session closed', { session: this.id, reason });
    // Queued frames are reported dropped on the channels before those close.
    const disposed = this.table.disposeAll(reason);
    this.connection.close(reason);
    this.options.hooks.closed(this);
    this.options.pool.releaseTenant(this.id);
    await disposed;
  }

  private welcome(resumed: boolean): Omit<WelcomeMessage, 'v'> {
    return {
      type: 'welcome',
      sessionId: this.id,
      serverVersion: this.options.serverVersion,
      resumeToken: this.resumeToken,
      resumed,
      nodes: this.table.welcomeList(),
      limits: {
        maxChunkBytes: this.options.limits.maxChunkBytes,
        maxMessageBytes: this.options.limits.maxMessageBytes,
        maxFrameBytes: this.options.limits.maxFrameBytes,
      },
      iceServers: this.options.ice.iceServers,
      edgeTime: Date.now(),
      frameDeadlineMs: this.options.frameDeadlineMs,
      videoCodecs: EDGE_VIDEO_CODECS,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
