import { randomBytes, randomUUID } from 'node:crypto';
import superjson from 'superjson';
import {
  CloseCode,
  ErrorCode,
  RemoteMediaError,
  ProtocolChannel,
  toErrorPayload,
  listNodes,
  type ClientMessage,
  type DeployMessage,
  type NodePackage,
  type OfferMessage,
  type ProtocolLimits,
  type SerializedState,
  type WelcomeMessage,
} from '@remotemedia/shared';
import { WeriftDataChannel, createPeer, dropDefaultStun, enlargeSocketBuffers, gatheringComplete } from '@remotemedia/shared/node';
import type { EdgeIce } from '../webrtc/EdgeIce.ts';
import { keepIpCandidates } from '../webrtc/keepIpCandidates.ts';
import type { RTCPeerConnection } from 'werift';
import type { SandboxPool } from '../sandbox/index.ts';
import { BuiltinNode } from '../nodes/BuiltinNode.ts';
import type { BuiltinPool } from '../nodes/BuiltinPool.ts';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import { SandboxedNode } from '../nodes/SandboxedNode.ts';
import type { PackageCache } from './PackageCache.ts';
import { DeployedNode, type NodeOrigin } from './DeployedNode.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import { ClientMessageError, parseClientMessageWithRefs } from './ClientMessageError.ts';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import { RateLimiter } from '../limits/RateLimiter.ts';
import { ErrorReplyBudget } from '../limits/ErrorReplyBudget.ts';
import type { PersistedNode, StateStore } from '../persistence/StateStore.ts';
import { resumeKey } from '../persistence/resumeKey.ts';
import { checkSerializedState } from '../state/checkSerializedState.ts';
import type { StateLimits } from '../state/StateLimits.ts';

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
  store: StateStore;
  hooks: SessionHooks;
  /** Where the session's peer binds, what its answer advertises, and the STUN/TURN list for the client. */
  ice: EdgeIce;
  maxQueuedFrames: number;
  /** Sandboxed nodes this session may hold at once (built-in nodes run natively and do not count). */
  maxSandboxes: number;
  /** Built-in nodes this session may hold at once. */
  maxBuiltins: number;
  /** Bounds on instance state: deployed state is checked (and decoded) in the built-in worker, saved state here. */
  stateLimits: StateLimits;
  /** Protocol messages per second the client may send, over all its channels. */
  messagesPerSecond: number;
  /** Bytes waiting to be sent on one channel before its client counts as not reading (SLOW_CONSUMER). */
  maxSendQueueBytes: number;
  /** Error replies per second each channel gets for input refused without work (invalid, over the rate limit). */
  errorRepliesPerSecond: number;
  /** Given when the session is rebuilt from the data dir: its old id and the token the client presented. */
  identity?: { id: string; resumeToken: string };
}

export type SessionState = 'attached' | 'detached' | 'closed';

/** Why a snapshot was taken; also a metrics label. */
export type SnapshotTrigger = 'interval' | 'save' | 'shutdown' | 'expiry' | 'deploy';

/** The protocol's bound on a node-restored reason. */
const MAX_EVENT_REASON = 1024;

type RequestMessage = Extract<ClientMessage, { type: 'deploy' | 'create' | 'call' | 'flush' | 'list-nodes' | 'dispose' | 'snapshot' | 'save' }>;

interface ErrorRefs {
  id?: number;
  nodeId?: string;
  seq?: number;
}

/**
 * One client. Signaling and the fallback path run over its WebSocket; once the data channel opens the
 * client moves its traffic there. Each request is answered on the channel it came in on.
 *
 * A session outlives its connection: when the WebSocket closes the session is detached (nodes and their
 * state kept) and the registry gives the client a grace period to come back with its resume token.
 */
export class Session {
  readonly id: string;
  /** Secret: never logged, never written to disk (only its hash, `key`). */
  readonly resumeToken: string;
  /** SHA-256 of the resume token: how the registry and the data dir know this session. */
  readonly key: string;
  readonly startedAt = Date.now();
  private readonly options: SessionOptions;
  private readonly rate: RateLimiter;
  private readonly replyBudgets = new WeakMap<EdgeChannel, ErrorReplyBudget>();
  private readonly nodes = new Map<string, DeployedNode>();
  /** Node ids being created, so two concurrent deploys cannot take the same id or exceed the sandbox limit. */
  private readonly pendingIds = new Set<string>();
  private pendingSandboxes = 0;
  private pendingBuiltins = 0;
  private peer: RTCPeerConnection | undefined;
  private dataChannel: EdgeChannel | undefined;
  private signaling: EdgeChannel | undefined;
  private stateValue: SessionState = 'detached';
  private detachedSince: number | undefined = Date.now();
  private closing: Promise<void> | undefined;

  constructor(options: SessionOptions) {
    this.options = options;
    this.id = options.identity?.id ?? randomUUID();
    this.resumeToken = options.identity?.resumeToken ?? randomBytes(24).toString('base64url');
    this.key = resumeKey(this.resumeToken);
    this.rate = new RateLimiter(options.messagesPerSecond);
  }

  get state(): SessionState {
    return this.stateValue;
  }

  /** The transport the client is using for protocol traffic now. */
  get transport(): 'datachannel' | 'websocket' | 'none' {
    if (this.stateValue !== 'attached') return 'none';
    return this.dataChannel?.isOpen ? 'datachannel' : 'websocket';
  }

  get nodeCount(): number {
    return this.nodes.size;
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
    const previous = this.signaling;
    this.signaling = channel;
    this.stateValue = 'attached';
    this.detachedSince = undefined;
    if (previous !== undefined && previous !== channel) {
      this.dropPeer('another connection resumed this session');
      previous.close('another connection resumed this session');
    }
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.signaling === channel) this.detach(reason);
    });
    // Queued before any reply to the early messages: the channel sends in order.
    const welcomed = channel.send(this.welcome(resumed)).catch(() => undefined);
    for (const message of early) this.receive(message, channel);
    await welcomed;
    // It may have closed before our listener was attached: then no close event will come.
    if (!channel.isOpen && this.signaling === channel) this.detach('signaling connection closed');
  }

  /** Handles one message that arrived on `via` (the registry replays those that came before the welcome). */
  receive(message: ClientMessage, via: EdgeChannel): void {
    if (this.closing) {
      void this.sendError(via, new RemoteMediaError(ErrorCode.SessionClosed, 'the session is closing (the edge is shutting down or the session expired)', { retryable: true }), refsOf(message));
      return;
    }
    if (!this.rate.take()) {
      const error = new RemoteMediaError(
        ErrorCode.RateLimited,
        `this session sent more than ${this.rate.limit} messages in a second; "${message.type}" was not processed (slow down and retry)`,
        { retryable: true },
      );
      this.refuse(via, error, refsOf(message));
      return;
    }
    this.handle(message, via).catch((error: unknown) => {
      this.options.log.warn('request failed', { session: this.id, type: message.type, error: String(error) });
      void this.sendError(via, error, refsOf(message));
    });
  }

  /** Rebuilds a persisted node from its package and saved fields (the constructor is not run). */
  async restoreNode(record: PersistedNode, pkg: NodePackage): Promise<void> {
    const state = await this.options.builtins.decodeState(record.state, 'the saved state');
    await this.installSandbox(record.nodeId, { pkg, state, persistent: true });
  }

  /** Resolves once every frame queued so far has been processed. */
  async drain(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((deployed) => deployed.whenIdle()));
  }

  /** Writes every persistent node's state; failures are logged and counted, the rest still get written. */
  async snapshotPersistent(trigger: SnapshotTrigger): Promise<number> {
    const persistent = [...this.nodes.values()].filter((deployed) => deployed.persistent);
    const results = await Promise.allSettled(persistent.map((deployed) => this.persist(deployed, trigger)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        this.options.log.warn('snapshot failed', { session: this.id, node: persistent[i]!.name, trigger, error: String(result.reason) });
      }
    });
    return results.filter((result) => result.status === 'fulfilled').length;
  }

  /**
   * Ends the session: optionally snapshots persistent nodes first (their files stay: a later resume restores
   * them), then rejects queued frames, disposes sandboxes, closes channels and the peer. Idempotent.
   */
  close(reason: string, options: { snapshot?: SnapshotTrigger } = {}): Promise<void> {
    this.closing ??= this.closeOnce(reason, options.snapshot);
    return this.closing;
  }

  /** For /status. */
  describe(): Record<string, unknown> {
    return {
      id: this.id,
      state: this.stateValue,
      transport: this.transport,
      // Its code got a sandbox worker terminated: its sandboxes run apart from other sessions'.
      quarantined: this.options.pool.isQuarantined(this.id),
      startedAt: new Date(this.startedAt).toISOString(),
      ...(this.detachedSince !== undefined ? { detachedForMs: Date.now() - this.detachedSince } : {}),
      nodes: [...this.nodes.values()].map((deployed) => ({
        nodeId: deployed.nodeId,
        nodeName: deployed.name,
        kind: deployed.node instanceof SandboxedNode ? 'sandbox' : 'builtin',
        ...(deployed.node instanceof SandboxedNode ? { worker: deployed.node.placement } : {}),
        persistent: deployed.persistent,
        packageId: deployed.origin?.packageId,
        framesIn: deployed.framesIn,
        framesOut: deployed.framesOut,
        framesDropped: deployed.framesDropped,
      })),
    };
  }

  /** The session's live sandboxes, for /status and /metrics. */
  sandboxes(): Array<{ nodeId: string; nodeName: string; node: SandboxedNode }> {
    const list: Array<{ nodeId: string; nodeName: string; node: SandboxedNode }> = [];
    for (const deployed of this.nodes.values()) {
      if (deployed.node instanceof SandboxedNode && !deployed.node.disposed) list.push({ nodeId: deployed.nodeId, nodeName: deployed.name, node: deployed.node });
    }
    return list;
  }

  private async closeOnce(reason: string, trigger: SnapshotTrigger | undefined): Promise<void> {
    if (trigger !== undefined) await this.snapshotPersistent(trigger);
    this.stateValue = 'closed';
    this.options.log.info('session closed', { session: this.id, reason });
    for (const node of this.nodes.values()) node.abandon(`session closed: ${reason}`);
    const sandboxes = [...this.nodes.values()].map((deployed) => deployed.node.dispose());
    this.nodes.clear();
    const signaling = this.signaling;
    this.signaling = undefined;
    this.dropPeer(reason);
    signaling?.close(reason);
    this.options.hooks.closed(this);
    this.options.pool.releaseTenant(this.id);
    await Promise.allSettled(sandboxes);
  }

  private detach(reason: string): void {
    if (this.closing || this.stateValue !== 'attached') return;
    this.stateValue = 'detached';
    this.detachedSince = Date.now();
    this.signaling = undefined;
    this.dropPeer(reason);
    this.options.log.info('session detached', { session: this.id, reason });
    this.options.hooks.detached(this, reason);
  }

  /** The peer belongs to one connection: a resumed client negotiates a new one. */
  private dropPeer(reason: string): void {
    const dataChannel = this.dataChannel;
    const peer = this.peer;
    this.dataChannel = undefined;
    this.peer = undefined;
    dataChannel?.close(reason);
    if (peer !== undefined) {
      void (async () => {
        try {
          await peer.close();
        } catch {
          // Closing a half-open werift peer can throw; the peer is gone either way.
        }
      })();
    }
  }

  private welcome(resumed: boolean): Omit<WelcomeMessage, 'v'> {
    return {
      type: 'welcome',
      sessionId: this.id,
      serverVersion: this.options.serverVersion,
      resumeToken: this.resumeToken,
      resumed,
      nodes: [...this.nodes.values()].map((deployed) => ({ nodeId: deployed.nodeId, nodeName: deployed.name, methods: deployed.node.methods })),
      limits: {
        maxChunkBytes: this.options.limits.maxChunkBytes,
        maxMessageBytes: this.options.limits.maxMessageBytes,
        maxFrameBytes: this.options.limits.maxFrameBytes,
      },
      iceServers: this.options.ice.iceServers,
    };
  }

  private listen(channel: EdgeChannel): void {
    this.replyBudgets.set(channel, new ErrorReplyBudget(this.options.errorRepliesPerSecond));
    channel.on('message', (message) => {
      if (channel === this.signaling || channel === this.dataChannel) this.receive(message, channel);
    });
    channel.on('invalid', (error) => {
      if (channel !== this.signaling && channel !== this.dataChannel) return;
      // Unreadable messages cost decoding too: they spend the same budget.
      this.rate.take();
      const refs = error instanceof ClientMessageError ? { id: error.id, nodeId: error.nodeId, seq: error.seq } : {};
      if (this.refuse(channel, error, refs)) this.options.log.warn('invalid message', { session: this.id, code: error.code, message: error.message });
    });
    channel.on('close', (reason, error) => {
      if (error?.code !== ErrorCode.SlowConsumer) return;
      this.options.metrics.connectionCutOff('slow_consumer');
      this.options.log.warn('client not reading', { session: this.id, transport: channel.kind, reason });
      // The data channel is the one not draining: say why over signaling, where the session goes on.
      if (channel === this.dataChannel && this.signaling?.isOpen) void this.sendError(this.signaling, error, {});
    });
  }

  /**
   * Answers input refused without any work on it, within the channel's error-reply budget: past the budget
   * the reply is withheld, and a client that keeps on is closed (its waiting requests then fail on its side).
   * Returns whether the reply was sent.
   */
  private refuse(via: EdgeChannel, error: unknown, refs: ErrorRefs): boolean {
    const budget = this.replyBudgets.get(via);
    const verdict = budget?.spend() ?? 'answer';
    if (verdict === 'answer') {
      void this.sendError(via, error, refs);
      return true;
    }
    this.options.metrics.errorReplyWithheld();
    if (verdict === 'close') {
      this.options.metrics.connectionCutOff('error_flood');
      this.options.log.warn('client closed for an error flood', { session: this.id, transport: via.kind });
      via.close(`${ErrorCode.RateLimited}: over ${budget!.perSecond} refused messages a second, twice over`, CloseCode.PolicyViolation);
    }
    return false;
  }

  /** Every error a client is sent goes through here, so /metrics counts them by code. */
  private sendError(via: EdgeChannel, error: unknown, refs: ErrorRefs, context: { nodeName?: string; method?: string } = {}): Promise<void> {
    const payload = toErrorPayload(error, context);
    this.options.metrics.error(payload.code);
    return via
      .send({
        type: 'error',
        ...(refs.id !== undefined ? { id: refs.id } : {}),
        ...(refs.nodeId !== undefined ? { nodeId: refs.nodeId } : {}),
        ...(refs.seq !== undefined ? { seq: refs.seq } : {}),
        error: payload,
      })
      .catch(() => undefined);
  }

  private async handle(message: ClientMessage, via: EdgeChannel): Promise<void> {
    switch (message.type) {
      case 'hello':
        throw new RemoteMediaError(ErrorCode.InvalidInput, 'hello was already answered on this connection');
      case 'offer':
        await this.answerOffer(message, via);
        return;
      case 'ping':
        await via.send({ type: 'pong', id: message.id, t: message.t });
        return;
      case 'bye':
        // Persistent nodes are saved as at expiry, so the token still brings them back later.
        await this.close('the client closed the session', { snapshot: 'expiry' });
        return;
      case 'frame': {
        const node = this.nodes.get(message.nodeId);
        if (node === undefined) {
          await this.sendError(via, this.unknownNode(message.nodeId), { nodeId: message.nodeId, seq: message.seq });
          return;
        }
        node.enqueue(message, via);
        return;
      }
      case 'deploy':
      case 'create':
      case 'call':
      case 'flush':
      case 'list-nodes':
      case 'snapshot':
      case 'save':
      case 'dispose':
        try {
          const value = await this.request(message);
          await via.send({ type: 'reply', id: message.id, value });
        } catch (error) {
          const nodeId = 'nodeId' in message ? message.nodeId : undefined;
          const node = nodeId !== undefined ? this.nodes.get(nodeId) : undefined;
          await this.sendError(via, error, { id: message.id, nodeId }, {
            nodeName: node?.name,
            method: message.type === 'call' ? message.method : message.type,
          });
        }
        return;
    }
  }

  private async request(message: RequestMessage): Promise<unknown> {
    switch (message.type) {
      case 'deploy':
        return this.deploy(message);
      case 'create':
        return this.installBuiltin(message.nodeId, message.name, message.config);
      case 'list-nodes':
        return listNodes();
      case 'call':
        return this.deployed(message.nodeId).node.call(message.method, [...message.args]);
      case 'flush': {
        const deployed = this.deployed(message.nodeId);
        await deployed.whenIdle();
        return deployed.node.flush();
      }
      case 'snapshot': {
        const deployed = this.deployed(message.nodeId);
        if (!(deployed.node instanceof SandboxedNode)) {
          throw new RemoteMediaError(ErrorCode.InvalidInput, `built-in node "${deployed.name}" has no instance state to snapshot`);
        }
        return superjson.serialize(await deployed.node.snapshot());
      }
      case 'save':
        return this.persist(this.deployed(message.nodeId), 'save');
      case 'dispose': {
        const deployed = this.deployed(message.nodeId);
        this.nodes.delete(message.nodeId);
        deployed.abandon('node disposed');
        await deployed.node.dispose();
        // A disposed node is not coming back: its saved state goes too.
        if (deployed.persistent) await this.options.store.removeNode(this.key, deployed.nodeId);
        return null;
      }
    }
  }

  private deployed(nodeId: string): DeployedNode {
    const deployed = this.nodes.get(nodeId);
    if (deployed === undefined) throw this.unknownNode(nodeId);
    return deployed;
  }

  /** Creates a node under a fresh id, disposing it again if the session closed meanwhile. */
  private async install(
    nodeId: string,
    create: () => Promise<EdgeNode>,
    origin?: NodeOrigin,
  ): Promise<{ nodeName: string; methods: readonly string[] }> {
    if (this.nodes.has(nodeId) || this.pendingIds.has(nodeId)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `node id "${nodeId}" is already in use in this session`);
    }
    this.pendingIds.add(nodeId);
    let node: EdgeNode;
    try {
      node = await create();
    } catch (error) {
      this.options.metrics.deploy('error');
      throw error;
    } finally {
      this.pendingIds.delete(nodeId);
    }
    if (this.closing) {
      await node.dispose();
      throw new RemoteMediaError(ErrorCode.SessionClosed, 'the session closed while the node was being created');
    }
    this.nodes.set(
      nodeId,
      new DeployedNode({ nodeId, node, maxQueuedFrames: this.options.maxQueuedFrames, observer: this.frameObserver, origin }),
    );
    this.options.metrics.deploy('ok');
    this.options.log.info('node created', { session: this.id, node: node.name, persistent: origin?.persistent ?? false });
    return { nodeName: node.name, methods: node.methods };
  }

  private readonly frameObserver = {
    frameIn: (name: string) => this.options.metrics.frameIn(name),
    frameOut: (name: string, seconds: number) => this.options.metrics.frameOut(name, seconds),
    frameFailed: (name: string, seconds: number, code: string) => {
      this.options.metrics.frameFailed(name, seconds);
      this.options.metrics.error(code);
    },
    frameDropped: (name: string) => this.options.metrics.frameDropped(name),
  };

  /** A catalogue node in the built-in worker, within the session's built-in budget. */
  private installBuiltin(nodeId: string, name: string, config: unknown): Promise<{ nodeName: string; methods: readonly string[] }> {
    const max = this.options.maxBuiltins;
    let count = this.pendingBuiltins;
    for (const deployed of this.nodes.values()) if (deployed.node instanceof BuiltinNode) count++;
    if (count >= max) {
      this.options.metrics.deploy('error');
      return Promise.reject(
        new RemoteMediaError(
          ErrorCode.TooManyBuiltins,
          `this session already holds ${max} built-in node${max === 1 ? '' : 's'} (the edge's maxBuiltinsPerSession); dispose one before creating another`,
        ),
      );
    }
    this.pendingBuiltins++;
    const restored = (reason: string): void => {
      this.options.log.info('built-in node re-created on another worker', { session: this.id, node: name, reason });
      void this.eventChannel()
        ?.send({ type: 'node-restored', nodeId, nodeName: name, state: 'fresh', reason: reason.slice(0, MAX_EVENT_REASON) })
        .catch(() => undefined);
    };
    return this.install(nodeId, async () => {
      try {
        return await BuiltinNode.create(this.options.builtins, name, config, restored);
      } finally {
        this.pendingBuiltins--;
      }
    });
  }

  private sandboxCount(): number {
    let count = this.pendingSandboxes;
    for (const deployed of this.nodes.values()) if (deployed.node instanceof SandboxedNode) count++;
    return count;
  }

  /** A user node in a new sandbox, within the session's sandbox budget. */
  private installSandbox(
    nodeId: string,
    spec: { pkg: NodePackage; ctorArgs?: unknown[]; state?: unknown; persistent: boolean },
  ): Promise<{ nodeName: string; methods: readonly string[] }> {
    const max = this.options.maxSandboxes;
    if (this.sandboxCount() >= max) {
      this.options.metrics.deploy('error');
      return Promise.reject(
        new RemoteMediaError(
          ErrorCode.TooManySandboxes,
          `this session already holds ${max} sandboxed node${max === 1 ? '' : 's'} (the edge's maxSandboxesPerSession); dispose one before deploying another`,
        ),
      );
    }
    this.pendingSandboxes++;
    return this.install(
      nodeId,
      async () => {
        try {
          const sandbox = await this.options.pool.create({
            pkg: spec.pkg,
            ctorArgs: spec.ctorArgs ?? [],
            ...(spec.state !== undefined ? { state: spec.state } : {}),
            tenant: this.id,
            onConsole: (entry) => {
              void this.eventChannel()
                ?.send({ type: 'console', nodeId, nodeName: sandbox.nodeName, level: entry.level, text: entry.text })
                .catch(() => undefined);
            },
            // A persistent node comes back from disk, as after an edge restart; others are built again.
            ...(spec.persistent ? { recoverState: () => this.savedState(nodeId) } : {}),
            onRestored: ({ state, reason }) => {
              this.options.log.info('node re-created on another sandbox worker', { session: this.id, node: sandbox.nodeName, state, reason });
              void this.eventChannel()
                ?.send({ type: 'node-restored', nodeId, nodeName: sandbox.nodeName, state, reason: reason.slice(0, MAX_EVENT_REASON) })
                .catch(() => undefined);
            },
          });
          return new SandboxedNode(sandbox);
        } finally {
          this.pendingSandboxes--;
        }
      },
      { packageId: spec.pkg.id, persistent: spec.persistent },
    );
  }

  /** Where events that answer no request go: the data channel once open, else the signaling socket. */
  private eventChannel(): EdgeChannel | undefined {
    return this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
  }

  /** A persistent node's last snapshot on disk, as instance fields; undefined when there is none. */
  private async savedState(nodeId: string): Promise<{ state: unknown } | undefined> {
    const record = await this.options.store.loadNode(this.key, nodeId);
    if (record === undefined) return undefined;
    // Decoded off the main thread and within bounds, like a client's deploy state: the file could be anything.
    return { state: await this.options.builtins.decodeState(record.state, 'the saved state') };
  }

  private async deploy(message: DeployMessage): Promise<unknown> {
    const pkg = message.pkg
      ? await this.options.packages.add(message.pkg, message.packageId)
      : this.options.packages.get(message.packageId);
    // Off the main thread: decoding client state costs time that grows with what the client sent.
    const state = message.state === undefined ? undefined : await this.options.builtins.decodeState(message.state, 'deploy.state');
    const persistent = message.persist === true;
    const info = await this.installSandbox(message.nodeId, { pkg, ctorArgs: message.ctorArgs ? [...message.ctorArgs] : [], state, persistent });
    if (persistent) {
      // Durable from the reply on: a crash right after the deploy still brings the node back.
      const deployed = this.deployed(message.nodeId);
      try {
        await this.options.store.savePackage(pkg);
        await this.persist(deployed, 'deploy');
      } catch (error) {
        this.nodes.delete(message.nodeId);
        await deployed.node.dispose();
        throw new RemoteMediaError(ErrorCode.Internal, `the node was created but its state could not be written to the edge's data directory: ${(error as Error).message}`);
      }
    }
    return info;
  }

  /** Snapshot -> superjson -> atomic file. Resolves only once the file is fsynced. */
  private async persist(deployed: DeployedNode, trigger: SnapshotTrigger): Promise<{ savedAt: string }> {
    if (!deployed.persistent || !(deployed.node instanceof SandboxedNode) || deployed.origin === undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `node "${deployed.name}" was not deployed with persist: true, so there is nothing to save`);
    }
    try {
      const state = superjson.serialize(await deployed.node.snapshot()) as SerializedState;
      // What is saved must load again: the same bounds a deploy's state gets.
      checkSerializedState(state, this.options.stateLimits, `the state of node "${deployed.name}"`);
      const savedAt = new Date().toISOString();
      await this.options.store.saveNode(this.key, {
        format: 1,
        sessionId: this.id,
        nodeId: deployed.nodeId,
        nodeName: deployed.name,
        packageId: deployed.origin.packageId,
        savedAt,
        state,
      });
      this.options.metrics.snapshot(trigger, 'ok');
      return { savedAt };
    } catch (error) {
      this.options.metrics.snapshot(trigger, 'error');
      throw error;
    }
  }

  private unknownNode(nodeId: string): RemoteMediaError {
    return new RemoteMediaError(ErrorCode.UnknownNodeInstance, `no node "${nodeId}" is deployed in this session (deploy it first, or it was disposed)`);
  }

  private async answerOffer(offer: OfferMessage, via: EdgeChannel): Promise<void> {
    if (this.peer !== undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'this session already has a peer connection');
    }
    const peer = createPeer(this.options.ice.peer);
    this.peer = peer;
    try {
      await this.negotiate(peer, offer, via);
    } catch (error) {
      // A failed offer leaves no half-built peer behind: the client may offer again.
      if (this.peer === peer) this.dropPeer('the offer failed');
      throw error;
    }
  }

  private async negotiate(peer: RTCPeerConnection, offer: OfferMessage, via: EdgeChannel): Promise<void> {
    peer.onDataChannel.subscribe((channel) => {
      const attach = (): void => {
        if (this.peer !== peer) return;
        const protocol: EdgeChannel = new ProtocolChannel(new WeriftDataChannel(channel), {
          parse: (value) => parseClientMessageWithRefs(value, this.options.limits),
          limits: this.options.limits,
          maxQueuedBytes: this.options.maxSendQueueBytes,
          onListenerError: (error) => this.options.log.error('listener failed', { session: this.id, error: String(error) }),
        });
        this.dataChannel = protocol;
        this.listen(protocol);
        this.options.log.info('data channel open', { session: this.id });
      };
      if (channel.readyState === 'open') attach();
      else channel.stateChanged.subscribe((state) => state === 'open' && attach());
    });
    peer.connectionStateChange.subscribe((state) => {
      if (state === 'failed' || state === 'closed') this.options.log.info('peer connection ' + state, { session: this.id });
    });
    await peer.setRemoteDescription({ type: 'offer', sdp: keepIpCandidates(offer.sdp) });
    dropDefaultStun(peer);
    await peer.setLocalDescription(await peer.createAnswer());
    await gatheringComplete(peer);
    enlargeSocketBuffers(peer);
    const sdp = peer.localDescription?.sdp;
    if (sdp === undefined) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'the edge could not create an SDP answer');
    if (!/^a=candidate:/m.test(sdp)) {
      // werift skips a candidate whose socket it cannot bind: with a port range, every port is taken.
      const range = this.options.ice.peer.portRange;
      this.options.log.warn('no ICE candidate could be gathered', { session: this.id, portRange: range?.join('-') });
      throw new RemoteMediaError(
        ErrorCode.ConnectionFailed,
        `the edge has no free UDP port for WebRTC${range ? ` (its ICE port range ${range[0]}-${range[1]} is in use)` : ''}; stay on the WebSocket or retry later`,
        { retryable: true },
      );
    }
    await via.send({ type: 'answer', sdp });
  }
}

/** Where an error reply about `message` belongs, so the client can settle the right request or frame. */
function refsOf(message: ClientMessage): ErrorRefs {
  if (message.type === 'frame') return { nodeId: message.nodeId, seq: message.seq };
  const refs: ErrorRefs = {};
  if ('id' in message) refs.id = message.id;
  if ('nodeId' in message) refs.nodeId = message.nodeId;
  return refs;
}

