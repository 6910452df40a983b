import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { HostToPeerWorker, PeerWorkerToHost } from './peerWorkerProtocol.ts';
import { WorkerDataChannel } from './WorkerDataChannel.ts';

/** What a session hears from its peer. */
export interface WorkerPeerHooks {
  /** The client's data channel opened. */
  channel(channel: WorkerDataChannel): void;
  /** The peer worker this peer lived on is gone: the peer and its channel are closed. */
  lost(error: RemoteMediaError): void;
  /** werift's connection state went to failed or closed. */
  state(state: string): void;
}

/** The edge's answer: its SDP, and the SCTP chunk size its peer sends when large chunks are on. */
export interface PeerAnswer {
  sdp: string;
  sctpChunkBytes: number | undefined;
}

/** How a peer reaches its worker. */
export interface PeerWorkerPort {
  post(message: HostToPeerWorker, transfer?: ArrayBuffer[]): void;
  forget(peerId: number): void;
}

/**
 * A session's werift peer as the main thread sees it: the peer itself lives in a peer worker. Answers the
 * client's offer, hands over the data channel once it opens, and closes both together.
 */
export class WorkerPeer {
  readonly id: number;
  private readonly port: PeerWorkerPort;
  private readonly hooks: WorkerPeerHooks;
  private answered: { resolve(answer: PeerAnswer): void; reject(error: unknown): void } | undefined;
  private dataChannel: WorkerDataChannel | undefined;
  private closed = false;

  constructor(id: number, port: PeerWorkerPort, hooks: WorkerPeerHooks) {
    this.id = id;
    this.port = port;
    this.hooks = hooks;
  }

  /**
   * The edge's SDP answer to `offer`; rejects (typed) when the worker could not build the peer.
   * `sctpChunkBytes`: the client takes large SCTP chunks of this size (see OfferMessage.sctpChunks).
   */
  answer(offer: string, sctpChunkBytes?: number): Promise<PeerAnswer> {
    return new Promise<PeerAnswer>((resolve, reject) => {
      this.answered = { resolve, reject };
      this.port.post({ type: 'open', peerId: this.id, offer, ...(sctpChunkBytes !== undefined ? { sctpChunkBytes } : {}) });
    });
  }

  /** Closes the data channel and the peer; idempotent. */
  close(reason = 'closed by the edge'): void {
    if (this.closed) return;
    this.closed = true;
    this.port.post({ type: 'close', peerId: this.id });
    this.port.forget(this.id);
    this.answered?.reject(new RemoteMediaError(ErrorCode.ConnectionClosed, `the peer connection closed before it was answered (${reason})`));
    this.answered = undefined;
    this.dataChannel?.ended(reason);
  }

  /** A message from the worker about this peer. */
  receive(message: PeerWorkerToHost): void {
    if (this.closed) return;
    switch (message.type) {
      case 'answer':
        this.answered?.resolve({ sdp: message.sdp, sctpChunkBytes: message.sctpChunkBytes });
        this.answered = undefined;
        return;
      case 'failed':
        this.closed = true;
        this.port.forget(this.id);
        this.answered?.reject(new RemoteMediaError(message.error.code, message.error.message, { retryable: message.error.retryable ?? false }));
        this.answered = undefined;
        return;
      case 'channel-open': {
        const channel = new WorkerDataChannel({
          send: (payload) => this.port.post({ type: 'send', peerId: this.id, payload }, [payload.buffer as ArrayBuffer]),
          // The peer stays (as a werift peer did on the main thread): closing it at once would cut the
          // stream reset that tells the client its channel is gone.
          close: () => this.port.post({ type: 'close-channel', peerId: this.id }),
        });
        this.dataChannel = channel;
        this.hooks.channel(channel);
        return;
      }
      case 'message':
        this.dataChannel?.receive(message.payload);
        return;
      case 'invalid':
        this.dataChannel?.invalid(new RemoteMediaError(message.error.code, message.error.message));
        return;
      case 'flow':
        this.dataChannel?.flow(message.handed, message.buffered);
        return;
      case 'channel-closed':
        this.close(message.reason);
        return;
      case 'peer-state':
        this.hooks.state(message.state);
        return;
      case 'ready':
        return;
    }
  }

  /** Its worker is gone: everything of this peer is gone with it. */
  workerLost(error: RemoteMediaError): void {
    if (this.closed) return;
    this.closed = true;
    this.answered?.reject(error);
    this.answered = undefined;
    this.dataChannel?.ended(error.message);
    this.hooks.lost(error);
  }
}
