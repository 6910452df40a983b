import { randomBytes, randomUUID } from 'node:crypto';
import {
  ErrorCode,
  RemoteMediaError,
  ProtocolChannel,
  parseClientMessage,
  toErrorPayload,
  listNodes,
  type ClientMessage,
  type DeployMessage,
  type OfferMessage,
  type ProtocolLimits,
} from '@remotemedia/shared';
import { WeriftDataChannel, createPeer, disableStun, gatheringComplete } from '@remotemedia/shared/node';
import type { RTCPeerConnection } from 'werift';
import type { SandboxPool } from '../sandbox/index.ts';
import { BuiltinNode } from '../nodes/BuiltinNode.ts';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import { SandboxedNode } from '../nodes/SandboxedNode.ts';
import type { PackageCache } from './PackageCache.ts';
import { DeployedNode } from './DeployedNode.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import type { Logger } from '../log/Logger.ts';

export interface SessionOptions {
  pool: SandboxPool;
  packages: PackageCache;
  limits: ProtocolLimits;
  serverVersion: string;
  log: Logger;
  /** Extra ICE host addresses to offer besides the machine's interfaces (loopback by default). */
  iceHostAddresses: string[];
  maxQueuedFrames: number;
}

/**
 * One client. Signaling and the fallback path run over its WebSocket; once the data channel opens the
 * client moves its traffic there. Each request is answered on the channel it came in on.
 */
export class Session {
  readonly id = randomUUID();
  readonly resumeToken = randomBytes(24).toString('base64url');
  private readonly options: SessionOptions;
  private readonly nodes = new Map<string, DeployedNode>();
  private peer: RTCPeerConnection | undefined;
  private dataChannel: EdgeChannel | undefined;
  private signaling: EdgeChannel | undefined;
  private closed = false;
  readonly startedAt = Date.now();

  constructor(options: SessionOptions) {
    this.options = options;
  }

  /** The transport the client is using for protocol traffic now. */
  get transport(): 'datachannel' | 'websocket' {
    return this.dataChannel?.isOpen ? 'datachannel' : 'websocket';
  }

  get nodeCount(): number {
    return this.nodes.size;
  }

  attachSignaling(channel: EdgeChannel): void {
    this.signaling = channel;
    this.listen(channel);
    channel.on('close', () => this.close('signaling connection closed'));
  }

  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.log.info('session closed', { session: this.id, reason });
    for (const node of this.nodes.values()) node.abandon(`session closed: ${reason}`);
    const sandboxes = [...this.nodes.values()].map((deployed) => deployed.node.dispose());
    this.nodes.clear();
    this.dataChannel?.close(reason);
    this.signaling?.close(reason);
    try {
      await this.peer?.close();
    } catch {
      // Closing a half-open werift peer can throw; the session is gone either way.
    }
    await Promise.allSettled(sandboxes);
  }

  private listen(channel: EdgeChannel): void {
    channel.on('message', (message) => {
      this.handle(message, channel).catch((error: unknown) => {
        this.options.log.warn('request failed', { session: this.id, type: message.type, error: String(error) });
        void channel.send({ type: 'error', error: toErrorPayload(error) }).catch(() => undefined);
      });
    });
    channel.on('invalid', (error) => {
      this.options.log.warn('invalid message', { session: this.id, code: error.code, message: error.message });
      void channel.send({ type: 'error', error: toErrorPayload(error) }).catch(() => undefined);
    });
  }

  private async handle(message: ClientMessage, via: EdgeChannel): Promise<void> {
    if (this.closed) return;
    switch (message.type) {
      case 'hello':
        await via.send({
          type: 'welcome',
          sessionId: this.id,
          serverVersion: this.options.serverVersion,
          resumeToken: this.resumeToken,
          resumed: false,
          nodes: [],
          limits: {
            maxChunkBytes: this.options.limits.maxChunkBytes,
            maxMessageBytes: this.options.limits.maxMessageBytes,
            maxFrameBytes: this.options.limits.maxFrameBytes,
          },
        });
        return;
      case 'offer':
        await this.answerOffer(message, via);
        return;
      case 'ping':
        await via.send({ type: 'pong', id: message.id, t: message.t });
        return;
      case 'frame': {
        const node = this.nodes.get(message.nodeId);
        if (node === undefined) {
          await via.send({
            type: 'error',
            nodeId: message.nodeId,
            seq: message.seq,
            error: toErrorPayload(this.unknownNode(message.nodeId)),
          });
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
      case 'dispose':
        try {
          const value = await this.request(message);
          await via.send({ type: 'reply', id: message.id, value });
        } catch (error) {
          const node = 'nodeId' in message ? this.nodes.get(message.nodeId) : undefined;
          await via
            .send({
              type: 'error',
              id: message.id,
              nodeId: 'nodeId' in message ? message.nodeId : undefined,
              error: toErrorPayload(error, {
                nodeName: node?.name,
                method: message.type === 'call' ? message.method : message.type,
              }),
            })
            .catch(() => undefined);
        }
        return;
    }
  }

  private async request(message: Extract<ClientMessage, { type: 'deploy' | 'create' | 'call' | 'flush' | 'list-nodes' | 'dispose' }>): Promise<unknown> {
    switch (message.type) {
      case 'deploy':
        return this.deploy(message);
      case 'create':
        return this.install(message.nodeId, async () => new BuiltinNode(message.name, message.config));
      case 'list-nodes':
        return listNodes();
      case 'call':
        return this.deployed(message.nodeId).node.call(message.method, [...message.args]);
      case 'flush': {
        const deployed = this.deployed(message.nodeId);
        await deployed.whenIdle();
        return deployed.node.flush();
      }
      case 'dispose': {
        const deployed = this.deployed(message.nodeId);
        this.nodes.delete(message.nodeId);
        deployed.abandon('node disposed');
        await deployed.node.dispose();
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
  private async install(nodeId: string, create: () => Promise<EdgeNode>): Promise<{ nodeName: string; methods: readonly string[] }> {
    if (this.nodes.has(nodeId)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `node id "${nodeId}" is already in use in this session`);
    }
    const node = await create();
    if (this.closed) {
      await node.dispose();
      throw new RemoteMediaError(ErrorCode.SessionClosed, 'the session closed while the node was being created');
    }
    this.nodes.set(nodeId, new DeployedNode(nodeId, node, this.options.maxQueuedFrames));
    this.options.log.info('node created', { session: this.id, node: node.name });
    return { nodeName: node.name, methods: node.methods };
  }

  private async deploy(message: DeployMessage): Promise<unknown> {
    const pkg = message.pkg
      ? await this.options.packages.add(message.pkg, message.packageId)
      : this.options.packages.get(message.packageId);
    return this.install(message.nodeId, async () => {
      const sandbox = await this.options.pool.create({
        pkg,
        ctorArgs: message.ctorArgs ? [...message.ctorArgs] : [],
        onConsole: (entry) => {
          const via = this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
          void via
            ?.send({ type: 'console', nodeId: message.nodeId, nodeName: sandbox.nodeName, level: entry.level, text: entry.text })
            .catch(() => undefined);
        },
      });
      return new SandboxedNode(sandbox);
    });
  }

  private unknownNode(nodeId: string): RemoteMediaError {
    return new RemoteMediaError(ErrorCode.UnknownNodeInstance, `no node "${nodeId}" is deployed in this session (deploy it first, or it was disposed)`);
  }

  private async answerOffer(offer: OfferMessage, via: EdgeChannel): Promise<void> {
    if (this.peer !== undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'this session already has a peer connection');
    }
    const peer = createPeer({ additionalHostAddresses: this.options.iceHostAddresses });
    this.peer = peer;
    peer.onDataChannel.subscribe((channel) => {
      const attach = (): void => {
        const protocol: EdgeChannel = new ProtocolChannel(new WeriftDataChannel(channel), {
          parse: (value) => parseClientMessage(value, this.options.limits),
          limits: this.options.limits,
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
    await peer.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    disableStun(peer);
    await peer.setLocalDescription(await peer.createAnswer());
    await gatheringComplete(peer);
    const sdp = peer.localDescription?.sdp;
    if (sdp === undefined) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'the edge could not create an SDP answer');
    await via.send({ type: 'answer', sdp });
  }
}
