import {
  ErrorCode,
  ProtocolChannel,
  RemoteError,
  RemoteMediaError,
  parseEdgeMessage,
  buildPipeline,
  type BuildPipelineOptions,
  type Pipeline,
  type ClientMessage,
  type ConsoleMessage,
  type EdgeMessage,
  type NodePackage,
  type NodeDescriptor,
  type SerializedState,
  type TransportKind,
  type WelcomeMessage,
} from '@remotemedia/shared';
import superjson from 'superjson';
import type { ModuleSupport } from '../remote/ModuleSupport.ts';
import { createRemoteObject, type RemoteObject } from '../remote/RemoteObject.ts';
import { isClass, isModuleTarget, ownState, type RemoteTarget } from '../remote/RemoteTarget.ts';
import { DeferredRemoteNode } from './DeferredRemoteNode.ts';
import { PendingRequests } from './PendingRequests.ts';
import type { ClientChannel, ReconnectOptions, SessionLink } from './SessionLink.ts';
import { RemoteNode, type DeployedNodeInfo } from './RemoteNode.ts';
import { RoundTripStats } from './RoundTripStats.ts';
import type { SessionState, SessionStats } from './SessionStats.ts';
import { SDK_VERSION } from '../version.ts';


export interface RemoteSessionEvents {
  /** Console output of a remote node. */
  console: (entry: { nodeId: string; nodeName: string; level: ConsoleMessage['level']; text: string }) => void;
  /** An error the edge raised that belongs to no request (e.g. it could not read something we sent). */
  error: (error: RemoteError) => void;
  close: (reason: string) => void;
  /** The connection dropped; the session is trying to get it back. */
  reconnecting: (info: { attempt: number; delayMs: number; reason: string }) => void;
  /**
   * The connection is back. `resumed`: the edge still had the session and its nodes with their state.
   * Otherwise the nodes were created again from how they were first made (their state starts over).
   */
  reconnected: (info: { resumed: boolean; recreated: number }) => void;
}

type RequestMessage = Extract<ClientMessage, { id: number }>;
/** A request as callers write it: the session adds `id` and the channel adds `v`. */
type RequestBody = RequestMessage extends unknown ? DistributiveOmit<RequestMessage, 'v' | 'id'> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** `internal`: part of reconnecting itself, so allowed while user requests are refused. */
type RequestHow = { internal?: boolean };

export interface SessionOptions {
  requestTimeoutMs?: number;
  reconnect?: ReconnectOptions | false;
  /** Locating and packing classes for `remote()`; without it, `remote()` needs a `{ module, exportName }` target. */
  modules?: ModuleSupport;
}

export interface DeployOptions {
  /** Constructor arguments (plain data). */
  ctorArgs?: unknown[];
  /** Own fields of an instance, superjson-serialized; the constructor is not run. */
  state?: SerializedState;
  /** Keep the node's state on the edge's disk so it survives an edge restart. */
  persist?: boolean;
}

interface FrameWait {
  sentAt: number;
}

/** How a node was made, so it can be made again on an edge that lost it. */
type NodeRecipe =
  | { kind: 'deploy'; pkg: NodePackage; options: DeployOptions }
  | { kind: 'create'; name: string; config: Record<string, unknown> };


/** A connection to one edge: deploys nodes, sends frames, calls methods, keeps stats. */
export class RemoteSession {
  private readonly link: SessionLink;
  private readonly modules: ModuleSupport | undefined;
  private readonly reconnectOptions: Required<ReconnectOptions> | undefined;
  private signaling: ClientChannel;
  private dataChannel: ClientChannel | undefined;
  private peer: ReturnType<NonNullable<SessionLink['createPeer']>> | undefined;
  private readonly recipes = new Map<string, NodeRecipe>();
  private state: SessionState = 'connected';
  private reconnects = 0;
  private retired = { bytesSent: 0, bytesReceived: 0 };
  private readonly requestTimeoutMs: number;
  private readonly requests = new PendingRequests<number, unknown>();
  private readonly frames = new PendingRequests<string, unknown[]>();
  private readonly frameSentAt = new Map<string, FrameWait>();
  private readonly signals = new PendingRequests<string, EdgeMessage>();
  private readonly nodeMap = new Map<string, RemoteNode>();
  private readonly seqs = new Map<string, number>();
  private readonly rtt = new RoundTripStats();
  private readonly listeners: { [K in keyof RemoteSessionEvents]: Array<RemoteSessionEvents[K]> } = { console: [], error: [], close: [], reconnecting: [], reconnected: [] };
  private nextRequestId = 1;
  private nextNodeId = 1;
  private closedReason: string | undefined;
  private welcome: WelcomeMessage | undefined;
  private counters = { framesSent: 0, framesReceived: 0, framesDroppedByEdge: 0, framesFailed: 0, framesLost: 0 };
  fallbackReason: string | undefined;

  private constructor(link: SessionLink, signaling: ClientChannel, options: SessionOptions) {
    this.link = link;
    this.modules = options.modules;
    this.signaling = signaling;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.reconnectOptions =
      options.reconnect === false
        ? undefined
        : { maxAttempts: 10, initialDelayMs: 250, maxDelayMs: 5000, ...options.reconnect };
    this.attachSignaling(signaling);
  }

  /** Opens a session: signaling, handshake (resuming if given a token), then the data channel if wanted. */
  static async open(link: SessionLink, options: SessionOptions & { resumeToken?: string } = {}): Promise<RemoteSession> {
    const session = new RemoteSession(link, await link.openSignaling(), options);
    try {
      await session.establish(options.resumeToken);
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  get sessionId(): string | undefined {
    return this.welcome?.sessionId;
  }

  get transport(): TransportKind {
    return this.dataChannel?.isOpen ? 'datachannel' : 'websocket';
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  on<K extends keyof RemoteSessionEvents>(event: K, listener: RemoteSessionEvents[K]): () => void {
    this.listeners[event].push(listener);
    return () => {
      const list = this.listeners[event];
      list.splice(list.indexOf(listener), 1);
    };
  }

  /** Handshake on the current signaling socket, then move traffic to a data channel when the link wants one. */
  private async establish(resumeToken: string | undefined): Promise<WelcomeMessage> {
    const welcome = await this.handshake(this.link.connectTimeoutMs, resumeToken);
    if (this.link.createPeer !== undefined) {
      try {
        await this.upgradeToDataChannel(this.link.createPeer({ iceServers: welcome.iceServers ?? [] }), this.link.dataChannelTimeoutMs);
        this.fallbackReason = undefined;
      } catch (error) {
        if (this.link.requireDataChannel) throw error;
        this.fallbackReason = `WebRTC unavailable (${(error as Error).message}); using the WebSocket`;
      }
    }
    return welcome;
  }

  /**
   * Sends `hello` (with a resume token to reattach to an earlier session) and waits for `welcome`.
   * Nodes the edge still holds for a resumed session get handles again (`session.nodes`).
   */
  private async handshake(timeoutMs: number, resumeToken?: string): Promise<WelcomeMessage> {
    const welcome = this.signals.wait('welcome', timeoutMs, 'hello');
    await this.signaling.send({ type: 'hello', sdkVersion: SDK_VERSION, ...(resumeToken ? { resumeToken } : {}) });
    this.welcome = (await welcome) as WelcomeMessage;
    this.signaling.limitOutgoing(this.welcome.limits);
    for (const restored of this.welcome.nodes) {
      if (this.nodeMap.has(restored.nodeId)) continue;
      this.nodeMap.set(restored.nodeId, new RemoteNode(this, restored.nodeId, { nodeName: restored.nodeName, methods: [...restored.methods] }));
      const counter = /^n(\d+)$/.exec(restored.nodeId);
      if (counter) this.nextNodeId = Math.max(this.nextNodeId, Number(counter[1]) + 1);
    }
    return this.welcome;
  }

  /** Negotiates a peer connection over the signaling socket and moves traffic to its data channel. */
  private async upgradeToDataChannel(peer: NonNullable<typeof this.peer>, timeoutMs: number): Promise<void> {
    this.peer?.close();
    this.peer = peer;
    const deadline = Date.now() + timeoutMs;
    const answer = this.signals.wait('answer', timeoutMs, 'WebRTC offer');
    await this.signaling.send({ type: 'offer', sdp: await peer.createOffer() });
    const message = await answer;
    if (message.type !== 'answer') throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'expected an SDP answer');
    await peer.acceptAnswer(message.sdp);
    const raw = await withTimeout(peer.open, Math.max(0, deadline - Date.now()), 'the WebRTC data channel did not open');
    const channel: ClientChannel = new ProtocolChannel(raw, { parse: parseEdgeMessage });
    if (this.welcome) channel.limitOutgoing(this.welcome.limits);
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.dataChannel !== channel) return;
      this.retire(channel);
      this.dataChannel = undefined;
      if (this.state === 'connected') this.fallbackReason = `data channel closed (${reason}); using the WebSocket`;
    });
    this.dataChannel = channel;
  }

  /** Present it to `connect(url, { resumeToken })` to get this session (and its nodes) back. Secret. */
  get resumeToken(): string | undefined {
    return this.welcome?.resumeToken;
  }

  /** True when `connect` reattached to an existing session. */
  get resumed(): boolean {
    return this.welcome?.resumed ?? false;
  }

  /** Live node handles by id, including nodes restored by a resume. */
  get nodes(): ReadonlyMap<string, RemoteNode> {
    return this.nodeMap;
  }

  /**
   * Deploys a packed user node; the package crosses the wire only if the edge does not have it yet.
   * `state` (superjson-serialized own fields) restores an instance without running its constructor;
   * `persist` keeps its state on the edge's disk across edge restarts.
   */
  async deploy(pkg: NodePackage, options: DeployOptions = {}): Promise<RemoteNode> {
    const nodeId = `n${this.nextNodeId++}`;
    const info = await this.deployAs(nodeId, pkg, options);
    this.recipes.set(nodeId, { kind: 'deploy', pkg, options });
    return this.register(nodeId, info);
  }

  /** Asks with the package id alone first: a package the edge has cached never crosses the wire again. */
  private async deployAs(nodeId: string, pkg: NodePackage, options: DeployOptions, how: RequestHow = {}): Promise<DeployedNodeInfo> {
    const base = {
      type: 'deploy' as const,
      nodeId,
      packageId: pkg.id,
      ctorArgs: options.ctorArgs ?? [],
      ...(options.state ? { state: options.state } : {}),
      ...(options.persist ? { persist: true } : {}),
    };
    try {
      return (await this.request(base, how)) as DeployedNodeInfo;
    } catch (error) {
      if (!(error instanceof RemoteMediaError) || error.code !== ErrorCode.UnknownPackage) throw error;
      return (await this.request({ ...base, pkg }, how)) as DeployedNodeInfo;
    }
  }

  /**
   * Runs an object on the edge and returns a proxy whose methods are async remote calls; its state lives
   * in the sandbox between calls.
   * - `remote(SimpleCalculator, ...ctorArgs)`: constructed on the edge.
   * - `remote(instance)`: ships the instance's own fields (Map, Set, Date, BigInt, typed arrays, nested
   *   objects) so the remote copy starts with the same state; its constructor is not run again.
   * - `remote({ module: new URL('./calc.js', import.meta.url), exportName: 'SimpleCalculator' }, ...ctorArgs)`.
   * The class's module and every local module it imports are packed and sent (once per edge).
   */
  async remote<T extends object>(target: RemoteTarget, ...ctorArgs: unknown[]): Promise<RemoteObject<T>> {
    let moduleUrl: string;
    let exportName: string;
    let state: SerializedState | undefined;
    if (isModuleTarget(target)) {
      moduleUrl = String(target.module);
      exportName = target.exportName;
    } else {
      const cls = isClass(target) ? target : (target.constructor as RemoteTarget);
      if (!isClass(cls) || cls === Object) {
        throw new RemoteMediaError(ErrorCode.InvalidInput, 'remote() takes a class, an instance of a class, or { module, exportName }');
      }
      if (!isClass(target)) {
        if (ctorArgs.length > 0) throw new RemoteMediaError(ErrorCode.InvalidInput, 'an instance is shipped with its state; constructor arguments do not apply');
        state = superjson.serialize(ownState(target)) as SerializedState;
      }
      const located = await this.modules?.locate(cls);
      if (located === undefined) {
        throw new RemoteMediaError(
          ErrorCode.ModuleNotFound,
          `cannot tell which module defines class ${cls.name}: add \`static moduleUrl = import.meta.url\` to it, or pass { module, exportName }`,
        );
      }
      moduleUrl = located;
      exportName = cls.name;
    }
    if (this.modules === undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'this session cannot pack modules; connect with a ModuleSupport (the default in browsers and in the Node entry)');
    }
    const pkg = await this.modules.pack(moduleUrl, exportName);
    const node = await this.deploy(pkg, state ? { state } : { ctorArgs });
    return createRemoteObject<T>(node, async () => superjson.deserialize((await node.snapshot()) as never));
  }

  /** Creates a built-in catalogue node on the edge by name; the edge validates the config. */
  async node(name: string, config: Record<string, unknown> = {}): Promise<RemoteNode> {
    const nodeId = `n${this.nextNodeId++}`;
    const info = (await this.request({ type: 'create', nodeId, name, config })) as DeployedNodeInfo;
    this.recipes.set(nodeId, { kind: 'create', name, config });
    return this.register(nodeId, info);
  }

  /**
   * Builds a Pipeline from a JSON manifest (validated, errors point at the offending path). Nodes placed
   * `remote` run natively on this edge; the others run here.
   */
  loadPipeline(manifest: unknown, options: Omit<BuildPipelineOptions, 'createRemote'> = {}): Pipeline {
    return buildPipeline(manifest, {
      ...options,
      createRemote: (name, config) => new DeferredRemoteNode(name, () => this.node(name, config)),
    });
  }

  /** The edge's node catalogue: names, descriptions, config schemas with defaults, input/output kinds. */
  async listNodes(): Promise<NodeDescriptor[]> {
    return (await this.request({ type: 'list-nodes' })) as NodeDescriptor[];
  }

  private register(nodeId: string, info: DeployedNodeInfo): RemoteNode {
    const node = new RemoteNode(this, nodeId, info);
    this.nodeMap.set(nodeId, node);
    return node;
  }

  stats(): SessionStats {
    const channels = [this.signaling, this.dataChannel].filter((c): c is ClientChannel => c !== undefined);
    return {
      state: this.state,
      transport: this.transport,
      fallbackReason: this.fallbackReason,
      reconnects: this.reconnects,
      ...this.counters,
      bytesSent: this.retired.bytesSent + channels.reduce((sum, c) => sum + c.bytesSent, 0),
      bytesReceived: this.retired.bytesReceived + channels.reduce((sum, c) => sum + c.bytesReceived, 0),
      rttLastMs: this.rtt.last,
      rttP50Ms: this.rtt.percentile(50),
      rttP99Ms: this.rtt.percentile(99),
      rttSamples: this.rtt.size,
    };
  }

  /** Closes the session; every pending request and frame is rejected with SESSION_CLOSED. Idempotent. */
  close(options: { resumable?: boolean } = {}): void {
    // By default the edge is told to free everything now. `resumable` only drops the connection: the edge
    // keeps the session (nodes and state) for its grace period, and `resumeToken` gets it back, e.g. from the
    // next page. `bye` is queued before the socket's close, so it goes out first.
    if (!options.resumable && this.closedReason === undefined && this.state === 'connected') {
      void this.signaling.send({ type: 'bye' }).catch(() => undefined);
    }
    this.shutdown(options.resumable ? 'closed by the client (resumable)' : 'closed by the client');
  }

  /** @internal used by RemoteNode */
  async processOn(node: RemoteNode, item: unknown): Promise<unknown[]> {
    this.assertUsable(node);
    this.assertFrameFits(item);
    const seq = (this.seqs.get(node.nodeId) ?? 0) + 1;
    this.seqs.set(node.nodeId, seq);
    const key = `${node.nodeId}:${seq}`;
    const result = this.frames.wait(key, this.requestTimeoutMs, `frame ${seq} for ${node.name}`);
    this.frameSentAt.set(key, { sentAt: now() });
    this.counters.framesSent++;
    try {
      await this.active.send({ type: 'frame', nodeId: node.nodeId, seq, item }, 'media');
    } catch (error) {
      this.frames.reject(key, error);
    }
    try {
      return await result;
    } finally {
      this.frameSentAt.delete(key);
    }
  }

  /** @internal used by RemoteNode */
  async callOn(node: RemoteNode, method: string, args: unknown[]): Promise<unknown> {
    this.assertUsable(node);
    return this.request({ type: 'call', nodeId: node.nodeId, method, args });
  }

  /** @internal used by RemoteNode */
  async requestOn(node: RemoteNode, type: 'flush' | 'snapshot' | 'save'): Promise<unknown> {
    this.assertUsable(node);
    return this.request({ type, nodeId: node.nodeId });
  }

  /** @internal used by RemoteNode */
  async disposeNode(node: RemoteNode): Promise<void> {
    this.nodeMap.delete(node.nodeId);
    this.recipes.delete(node.nodeId);
    if (this.closed) return;
    await this.request({ type: 'dispose', nodeId: node.nodeId });
  }

  private get active(): ClientChannel {
    return this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
  }

  /** Refuses here, typed, a frame the edge would refuse after it crossed the wire. */
  private assertFrameFits(item: unknown): void {
    const limit = this.welcome?.limits.maxFrameBytes;
    if (limit === undefined || typeof item !== 'object' || item === null) return;
    const payload = (item as { data?: unknown; samples?: unknown }).data ?? (item as { samples?: unknown }).samples;
    if (ArrayBuffer.isView(payload) && payload.byteLength > limit) {
      throw new RemoteMediaError(ErrorCode.FrameTooLarge, `the frame is ${payload.byteLength} bytes; this edge accepts frames up to ${limit} bytes (lower the resolution)`);
    }
  }

  private assertUsable(node: RemoteNode): void {
    if (this.closedReason !== undefined) {
      throw new RemoteMediaError(ErrorCode.SessionClosed, `the session is closed (${this.closedReason})`);
    }
    if (this.state === 'reconnecting') {
      throw new RemoteMediaError(ErrorCode.ConnectionClosed, 'the connection to the edge dropped; reconnecting', { retryable: true });
    }
    if (node.disposed) throw new RemoteMediaError(ErrorCode.Disposed, `node "${node.name}" was disposed`);
  }

  private async request(message: RequestBody, how: RequestHow = {}): Promise<unknown> {
    if (this.closedReason !== undefined) {
      throw new RemoteMediaError(ErrorCode.SessionClosed, `the session is closed (${this.closedReason})`);
    }
    if (this.state === 'reconnecting' && !how.internal) {
      throw new RemoteMediaError(ErrorCode.ConnectionClosed, 'the connection to the edge dropped; reconnecting', { retryable: true });
    }
    const id = this.nextRequestId++;
    const reply = this.requests.wait(id, this.requestTimeoutMs, `"${message.type}" request`);
    await this.active.send({ ...message, id } as RequestMessage);
    return reply;
  }

  private listen(channel: ClientChannel): void {
    channel.on('message', (message) => this.handle(message));
    channel.on('invalid', (error) => this.emit('error', new RemoteError({ code: error.code, message: `the edge sent something unreadable: ${error.message}` })));
  }

  private handle(message: EdgeMessage): void {
    switch (message.type) {
      case 'welcome':
      case 'answer':
        this.signals.resolve(message.type, message);
        return;
      case 'reply':
        this.requests.resolve(message.id, message.value);
        return;
      case 'output': {
        const key = `${message.nodeId}:${message.seq}`;
        const sent = this.frameSentAt.get(key);
        if (sent) this.rtt.add(now() - sent.sentAt);
        if (this.frames.resolve(key, [...message.items])) this.counters.framesReceived++;
        return;
      }
      case 'dropped': {
        this.counters.framesDroppedByEdge++;
        this.frames.reject(
          `${message.nodeId}:${message.seq}`,
          new RemoteMediaError(ErrorCode.FrameDropped, `frame ${message.seq} was dropped by the edge: ${message.reason}`, { retryable: true }),
        );
        return;
      }
      case 'error': {
        const error = RemoteError.fromPayload(message.error);
        if (message.id !== undefined && this.requests.reject(message.id, error)) return;
        if (message.nodeId !== undefined && message.seq !== undefined) {
          this.counters.framesFailed++;
          if (this.frames.reject(`${message.nodeId}:${message.seq}`, error)) return;
        }
        this.emit('error', error);
        return;
      }
      case 'console':
        this.emit('console', { nodeId: message.nodeId, nodeName: message.nodeName, level: message.level, text: message.text });
        return;
      case 'pong':
        return;
    }
  }

  private attachSignaling(channel: ClientChannel): void {
    this.signaling = channel;
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.signaling !== channel || this.closedReason !== undefined) return;
      this.retire(channel);
      void this.handleDisconnect(`signaling closed: ${reason}`);
    });
  }

  /** Keeps byte counters whole across replaced channels. */
  private retire(channel: ClientChannel): void {
    this.retired.bytesSent += channel.bytesSent;
    this.retired.bytesReceived += channel.bytesReceived;
  }

  /**
   * The connection dropped. Work in flight is rejected (typed, retryable: nothing is lost silently), then
   * we redial with backoff and the resume token; when the edge no longer knows the session, nodes are
   * made again from their recipes under the same ids so handles keep working.
   */
  private async handleDisconnect(reason: string): Promise<void> {
    const options = this.reconnectOptions;
    if (options === undefined || this.state === 'reconnecting') {
      if (options === undefined) this.shutdown(reason);
      return;
    }
    this.state = 'reconnecting';
    const lost = new RemoteMediaError(ErrorCode.ConnectionClosed, `the connection to the edge dropped (${reason})`, { retryable: true });
    this.counters.framesLost += this.frames.size;
    this.frames.rejectAll(lost);
    this.requests.rejectAll(lost);
    this.signals.rejectAll(lost);
    const dataChannel = this.dataChannel;
    this.dataChannel = undefined;
    if (dataChannel) {
      this.retire(dataChannel);
      dataChannel.close(reason);
    }
    this.peer?.close();
    this.peer = undefined;
    const token = this.welcome?.resumeToken;
    let delay = options.initialDelayMs;
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      this.emit('reconnecting', { attempt, delayMs: delay, reason });
      await sleep(delay);
      if (this.closedReason !== undefined) return;
      try {
        const signaling = await this.link.openSignaling();
        this.attachSignaling(signaling);
        const welcome = await this.establish(token);
        let recreated = 0;
        if (!welcome.resumed) recreated = await this.recreateNodes();
        this.state = 'connected';
        this.reconnects++;
        this.emit('reconnected', { resumed: welcome.resumed, recreated });
        return;
      } catch {
        this.signaling.close('reconnect attempt failed');
        delay = Math.min(options.maxDelayMs, delay * 2);
      }
    }
    this.shutdown(`${reason}; gave up after ${options.maxAttempts} reconnect attempts`);
  }

  /** Runs while the state is still 'reconnecting', so user frames and calls keep failing fast until every node exists again. */
  private async recreateNodes(): Promise<number> {
    let count = 0;
    for (const [nodeId, recipe] of this.recipes) {
      if (recipe.kind === 'deploy') await this.deployAs(nodeId, recipe.pkg, recipe.options, { internal: true });
      else await this.request({ type: 'create', nodeId, name: recipe.name, config: recipe.config }, { internal: true });
      count++;
    }
    return count;
  }

  private shutdown(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.state = 'closed';
    const error = new RemoteMediaError(ErrorCode.SessionClosed, `the session closed: ${reason}`, { retryable: true });
    this.requests.rejectAll(error);
    this.frames.rejectAll(error);
    this.signals.rejectAll(error);
    this.dataChannel?.close(reason);
    this.signaling.close(reason);
    this.peer?.close();
    this.emit('close', reason);
  }

  private emit<K extends keyof RemoteSessionEvents>(event: K, ...args: Parameters<RemoteSessionEvents[K]>): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RemoteMediaError(ErrorCode.Timeout, `${what} within ${ms} ms`, { retryable: true })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
