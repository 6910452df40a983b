import {
  ErrorCode,
  ProtocolChannel,
  RemoteError,
  RemoteMediaError,
  parseEdgeMessage,
  type ClientMessage,
  type ConsoleMessage,
  type EdgeMessage,
  type NodePackage,
  type TransportKind,
  type WelcomeMessage,
} from '@remotemedia/shared';
import type { PeerLink } from '../transport/PeerLink.ts';
import { PendingRequests } from './PendingRequests.ts';
import { RemoteNode, type DeployedNodeInfo } from './RemoteNode.ts';
import { RoundTripStats } from './RoundTripStats.ts';
import type { SessionStats } from './SessionStats.ts';
import { SDK_VERSION } from '../version.ts';

export type ClientChannel = ProtocolChannel<EdgeMessage, ClientMessage>;

export interface RemoteSessionEvents {
  /** Console output of a remote node. */
  console: (entry: { nodeId: string; nodeName: string; level: ConsoleMessage['level']; text: string }) => void;
  /** An error the edge raised that belongs to no request (e.g. it could not read something we sent). */
  error: (error: RemoteError) => void;
  close: (reason: string) => void;
}

type RequestMessage = Extract<ClientMessage, { id: number }>;
/** A request as callers write it: the session adds `id` and the channel adds `v`. */
type RequestBody = RequestMessage extends unknown ? DistributiveOmit<RequestMessage, 'v' | 'id'> : never;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface FrameWait {
  sentAt: number;
}


/** A connection to one edge: deploys nodes, sends frames, calls methods, keeps stats. */
export class RemoteSession {
  private readonly signaling: ClientChannel;
  private dataChannel: ClientChannel | undefined;
  private peer: PeerLink | undefined;
  private readonly requestTimeoutMs: number;
  private readonly requests = new PendingRequests<number, unknown>();
  private readonly frames = new PendingRequests<string, unknown[]>();
  private readonly frameSentAt = new Map<string, FrameWait>();
  private readonly signals = new PendingRequests<string, EdgeMessage>();
  private readonly nodes = new Map<string, RemoteNode>();
  private readonly seqs = new Map<string, number>();
  private readonly rtt = new RoundTripStats();
  private readonly listeners: { [K in keyof RemoteSessionEvents]: Array<RemoteSessionEvents[K]> } = { console: [], error: [], close: [] };
  private nextRequestId = 1;
  private nextNodeId = 1;
  private closedReason: string | undefined;
  private welcome: WelcomeMessage | undefined;
  private counters = { framesSent: 0, framesReceived: 0, framesDroppedByEdge: 0, framesFailed: 0 };
  fallbackReason: string | undefined;

  constructor(signaling: ClientChannel, options: { requestTimeoutMs?: number } = {}) {
    this.signaling = signaling;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.listen(signaling);
    signaling.on('close', (reason) => this.shutdown(`signaling closed: ${reason}`));
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

  /** Sends `hello` and waits for the edge's `welcome`. */
  async handshake(timeoutMs: number): Promise<WelcomeMessage> {
    const welcome = this.signals.wait('welcome', timeoutMs, 'hello');
    await this.signaling.send({ type: 'hello', sdkVersion: SDK_VERSION });
    this.welcome = (await welcome) as WelcomeMessage;
    return this.welcome;
  }

  /** Negotiates a peer connection over the signaling socket and moves traffic to its data channel. */
  async upgradeToDataChannel(peer: PeerLink, timeoutMs: number): Promise<void> {
    this.peer = peer;
    const deadline = Date.now() + timeoutMs;
    const answer = this.signals.wait('answer', timeoutMs, 'WebRTC offer');
    await this.signaling.send({ type: 'offer', sdp: await peer.createOffer() });
    const message = await answer;
    if (message.type !== 'answer') throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'expected an SDP answer');
    await peer.acceptAnswer(message.sdp);
    const raw = await withTimeout(peer.open, Math.max(0, deadline - Date.now()), 'the WebRTC data channel did not open');
    const channel: ClientChannel = new ProtocolChannel(raw, { parse: parseEdgeMessage });
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.dataChannel === channel) this.dataChannel = undefined;
      if (!this.closed) this.fallbackReason = `data channel closed (${reason}); using the WebSocket`;
    });
    this.dataChannel = channel;
  }

  /** Deploys a packed user node; the package crosses the wire only if the edge does not have it yet. */
  async deploy(pkg: NodePackage, options: { ctorArgs?: unknown[] } = {}): Promise<RemoteNode> {
    const nodeId = `n${this.nextNodeId++}`;
    const base = { type: 'deploy' as const, nodeId, packageId: pkg.id, ctorArgs: options.ctorArgs ?? [] };
    let info: DeployedNodeInfo;
    try {
      info = (await this.request(base)) as DeployedNodeInfo;
    } catch (error) {
      if (!(error instanceof RemoteMediaError) || error.code !== ErrorCode.UnknownPackage) throw error;
      info = (await this.request({ ...base, pkg })) as DeployedNodeInfo;
    }
    const node = new RemoteNode(this, nodeId, info);
    this.nodes.set(nodeId, node);
    return node;
  }

  stats(): SessionStats {
    const channels = [this.signaling, this.dataChannel].filter((c): c is ClientChannel => c !== undefined);
    return {
      transport: this.transport,
      fallbackReason: this.fallbackReason,
      ...this.counters,
      bytesSent: channels.reduce((sum, c) => sum + c.bytesSent, 0),
      bytesReceived: channels.reduce((sum, c) => sum + c.bytesReceived, 0),
      rttLastMs: this.rtt.last,
      rttP50Ms: this.rtt.percentile(50),
      rttP99Ms: this.rtt.percentile(99),
      rttSamples: this.rtt.size,
    };
  }

  /** Closes the connection; every pending request and frame is rejected with SESSION_CLOSED. Idempotent. */
  close(): void {
    this.shutdown('closed by the client');
  }

  /** @internal used by RemoteNode */
  async processOn(node: RemoteNode, item: unknown): Promise<unknown[]> {
    this.assertUsable(node);
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
  async disposeNode(node: RemoteNode): Promise<void> {
    this.nodes.delete(node.nodeId);
    if (this.closed) return;
    await this.request({ type: 'dispose', nodeId: node.nodeId });
  }

  private get active(): ClientChannel {
    return this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
  }

  private assertUsable(node: RemoteNode): void {
    if (this.closedReason !== undefined) {
      throw new RemoteMediaError(ErrorCode.SessionClosed, `the session is closed (${this.closedReason})`);
    }
    if (node.disposed) throw new RemoteMediaError(ErrorCode.Disposed, `node "${node.name}" was disposed`);
  }

  private async request(message: RequestBody): Promise<unknown> {
    if (this.closedReason !== undefined) {
      throw new RemoteMediaError(ErrorCode.SessionClosed, `the session is closed (${this.closedReason})`);
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

  private shutdown(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
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
