import {
  SCTP_CHUNKS_VERSION,
  ErrorCode,
  ProtocolChannel,
  RemoteMediaError,
  type ClientMessage,
  type EdgeMessage,
  type OfferMessage,
  type ProtocolLimits,
  type Unversioned,
} from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { PeerWorkerPool } from '../webrtc/PeerWorkerPool.ts';
import type { WorkerDataChannel } from '../webrtc/WorkerDataChannel.ts';
import type { WorkerPeer } from '../webrtc/WorkerPeer.ts';
import { parseClientMessageWithRefs } from './ClientMessageError.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import { sendErrorReply } from './replies.ts';

export type SessionState = 'attached' | 'detached' | 'closed';

/** What the connection tells the rest of the session; the session wires these to its parts. */
export interface ConnectionHooks {
  /** A message arrived on one of the session's current channels. */
  message(message: ClientMessage, via: EdgeChannel): void;
  /** Input on a current channel could not be read or failed validation; the channel keeps working. */
  invalid(error: RemoteMediaError, via: EdgeChannel): void;
  /** The signaling connection went away: the session waits to be resumed. */
  detached(reason: string): void;
}

export interface SessionConnectionOptions {
  sessionId: string;
  limits: ProtocolLimits;
  /** The peer worker threads: the session's werift peer lives in one of them. */
  peers: PeerWorkerPool;
  /** Bytes waiting to be sent on one channel before its client counts as not reading (SLOW_CONSUMER). */
  maxSendQueueBytes: number;
  log: Logger;
  metrics: EdgeMetrics;
  /** True once the session is ending: a connection that goes away then detaches nothing. */
  isClosing(): boolean;
  hooks: ConnectionHooks;
}

/**
 * A session's way to its client: the signaling WebSocket, and the werift peer with its data channel once the
 * client offers one (the peer runs in a peer worker thread; this side sees whole messages). Messages from
 * either go to the hooks; each request is answered on the channel it came in on, events that answer no
 * request on the data channel while it is open. The peer belongs to one signaling connection: when that goes
 * (detach, replacement, close) the peer and data channel go with it.
 */
export class SessionConnection {
  private readonly options: SessionConnectionOptions;
  private peer: WorkerPeer | undefined;
  private dataChannel: EdgeChannel | undefined;
  private signaling: EdgeChannel | undefined;
  private stateValue: SessionState = 'detached';
  private detachedSinceValue: number | undefined = Date.now();

  constructor(options: SessionConnectionOptions) {
    this.options = options;
  }

  get state(): SessionState {
    return this.stateValue;
  }

  /** When the client's connection went away; undefined while attached. */
  get detachedSince(): number | undefined {
    return this.detachedSinceValue;
  }

  /** The transport the client is using for protocol traffic now. */
  get transport(): 'datachannel' | 'websocket' | 'none' {
    if (this.stateValue !== 'attached') return 'none';
    return this.dataChannel?.isOpen ? 'datachannel' : 'websocket';
  }

  /**
   * Makes `channel` the session's signaling connection. One still attached (a half-open socket the client
   * gave up on) is replaced: its peer goes with it.
   */
  bind(channel: EdgeChannel): void {
    const previous = this.signaling;
    this.signaling = channel;
    this.stateValue = 'attached';
    this.detachedSinceValue = undefined;
    if (previous !== undefined && previous !== channel) {
      this.dropPeer('another connection resumed this session');
      previous.close('another connection resumed this session');
    }
    this.listen(channel);
    channel.on('close', (reason) => {
      if (this.signaling === channel) this.detach(reason);
    });
  }

  /** After the welcome went out on `channel`: it may have closed before it was bound, and then no close event comes. */
  confirmOpen(channel: EdgeChannel): void {
    if (!channel.isOpen && this.signaling === channel) this.detach('signaling connection closed');
  }

  /** Sends a message that answers no request: on the data channel once open, else on the signaling socket. */
  sendEvent(message: Unversioned<EdgeMessage>): void {
    const channel = this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
    void channel?.send(message).catch(() => undefined);
  }

  /** Like sendEvent, but resolves once the message is handed to the transport (before a close that follows it). */
  async sendEventNow(message: Unversioned<EdgeMessage>): Promise<void> {
    const channel = this.dataChannel?.isOpen ? this.dataChannel : this.signaling;
    await channel?.send(message).catch(() => undefined);
  }

  /** Answers the client's SDP offer with the edge's; a failed offer leaves no half-built peer, so the client may offer again. */
  async answerOffer(offer: OfferMessage, via: EdgeChannel): Promise<void> {
    if (this.peer !== undefined) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'this session already has a peer connection');
    }
    const peer = this.options.peers.open({
      channel: (raw) => this.attachDataChannel(peer, raw),
      lost: (error) => this.peerLost(peer, error),
      state: (state) => this.options.log.info('peer connection ' + state, { session: this.options.sessionId }),
    });
    this.peer = peer;
    try {
      const asked = offer.sctpChunks?.version === SCTP_CHUNKS_VERSION ? offer.sctpChunks.maxBytes : undefined;
      const { sdp, sctpChunkBytes } = await peer.answer(offer.sdp, asked);
      await via.send({
        type: 'answer',
        sdp,
        ...(sctpChunkBytes !== undefined ? { sctpChunks: { version: SCTP_CHUNKS_VERSION, maxBytes: sctpChunkBytes } } : {}),
      });
      this.options.metrics.peerAnswered(sctpChunkBytes !== undefined ? 'large' : 'standard');
    } catch (error) {
      if (this.peer === peer) this.dropPeer('the offer failed');
      if (error instanceof RemoteMediaError && error.code === ErrorCode.ConnectionFailed) {
        this.options.log.warn('no SDP answer', { session: this.options.sessionId, reason: error.message });
      }
      throw error;
    }
  }

  /** The session ended: the peer and both channels close. */
  close(reason: string): void {
    this.stateValue = 'closed';
    const signaling = this.signaling;
    this.signaling = undefined;
    this.dropPeer(reason);
    signaling?.close(reason);
  }

  private detach(reason: string): void {
    if (this.options.isClosing() || this.stateValue !== 'attached') return;
    this.stateValue = 'detached';
    this.detachedSinceValue = Date.now();
    this.signaling = undefined;
    this.dropPeer(reason);
    this.options.log.info('session detached', { session: this.options.sessionId, reason });
    this.options.hooks.detached(reason);
  }

  /** The peer belongs to one connection: a resumed client negotiates a new one. */
  private dropPeer(reason: string): void {
    const dataChannel = this.dataChannel;
    const peer = this.peer;
    this.dataChannel = undefined;
    this.peer = undefined;
    dataChannel?.close(reason);
    peer?.close(reason);
  }

  private isCurrent(channel: EdgeChannel): boolean {
    return channel === this.signaling || channel === this.dataChannel;
  }

  private listen(channel: EdgeChannel): void {
    channel.on('message', (message) => {
      if (this.isCurrent(channel)) this.options.hooks.message(message, channel);
    });
    channel.on('invalid', (error) => {
      if (this.isCurrent(channel)) this.options.hooks.invalid(error, channel);
    });
    channel.on('close', (reason, error) => {
      if (error?.code !== ErrorCode.SlowConsumer) return;
      this.options.metrics.connectionCutOff('slow_consumer');
      this.options.log.warn('client not reading', { session: this.options.sessionId, transport: channel.kind, reason });
      // The data channel is the one not draining: say why over signaling, where the session goes on.
      if (channel === this.dataChannel && this.signaling?.isOpen) void sendErrorReply(this.signaling, error, {}, this.options.metrics);
    });
  }

  private attachDataChannel(peer: WorkerPeer, raw: WorkerDataChannel): void {
    if (this.peer !== peer) return;
    const protocol: EdgeChannel = new ProtocolChannel(raw, {
      parse: (value) => parseClientMessageWithRefs(value, this.options.limits),
      limits: this.options.limits,
      maxQueuedBytes: this.options.maxSendQueueBytes,
      onListenerError: (error) => this.options.log.error('listener failed', { session: this.options.sessionId, error: String(error) }),
    });
    this.dataChannel = protocol;
    this.listen(protocol);
    this.options.log.info('data channel open', { session: this.options.sessionId });
  }

  /** The peer's worker failed: the data channel is gone; say why over signaling, where the session goes on. */
  private peerLost(peer: WorkerPeer, error: RemoteMediaError): void {
    if (this.peer !== peer) return;
    this.dropPeer(error.message);
    this.options.log.warn('peer lost with its worker', { session: this.options.sessionId });
    if (this.signaling?.isOpen) void sendErrorReply(this.signaling, error, {}, this.options.metrics);
  }
}
