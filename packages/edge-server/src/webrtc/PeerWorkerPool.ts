import type { Worker } from 'node:worker_threads';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { ProtocolLimits } from '@remotemedia/shared/protocol';
import type { PeerOptions } from '@remotemedia/shared/node';
import type { Logger } from '../log/Logger.ts';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import type { HostToPeerWorker, PeerWorkerData, PeerWorkerToHost } from './peerWorkerProtocol.ts';
import { WorkerPeer, type WorkerPeerHooks } from './WorkerPeer.ts';

const workerUrl = siblingModule(import.meta.url, 'PeerWorker');

/** The protocol layer's low watermark (ProtocolChannel's default): the worker reports a drain below it. */
const LOW_WATERMARK = 64 * 1024;

export interface PeerWorkerPoolOptions {
  /** Worker threads; sessions' peers are spread over them, fewest peers first. */
  size: number;
  limits: ProtocolLimits;
  log: Logger;
}

/** One peer worker thread and the peers it holds. */
class PeerWorkerThread {
  readonly worker: Worker;
  readonly peers = new Map<number, WorkerPeer>();
  /** Settles once the worker has loaded werift and listens, or is gone. */
  readonly started: Promise<void>;
  ready = false;
  lost = false;

  constructor(data: PeerWorkerData, onLost: (thread: PeerWorkerThread, reason: string) => void) {
    this.worker = startWorker(workerUrl, { workerData: data });
    let started: () => void = () => undefined;
    this.started = new Promise((resolve) => {
      started = resolve;
    });
    this.worker.on('message', (message: PeerWorkerToHost) => {
      if (message.type === 'ready') {
        this.ready = true;
        started();
      } else this.peers.get(message.peerId)?.receive(message);
    });
    this.worker.once('exit', () => started());
    this.worker.on('error', (error) => onLost(this, `it failed: ${error.message}`));
    this.worker.on('exit', (code) => onLost(this, `it exited with code ${code}`));
  }

  post(message: HostToPeerWorker, transfer: ArrayBuffer[] = []): void {
    if (!this.lost) this.worker.postMessage(message, transfer);
  }
}

/**
 * The peer workers: threads that own the sessions' werift peers (ICE, DTLS, SCTP, UDP sockets) and split and
 * reassemble their messages, so that the main thread, which runs signaling and every session's requests,
 * only sees whole messages and never one session's packets. Sessions are sharded over the workers; a worker
 * that fails costs only the sessions whose peers it held: they are told (PEER_WORKER_LOST) and go on over
 * their WebSocket, and new peers go to a fresh worker.
 */
export class PeerWorkerPool {
  private readonly options: PeerWorkerPoolOptions;
  private readonly threads: PeerWorkerThread[] = [];
  private nextPeerId = 1;
  private peer: PeerOptions | undefined;
  private closed = false;

  /**
   * Starts the workers at once, while the rest of the edge starts: loading werift in a new thread takes longer
   * than a client's data-channel timeout leaves after signaling. They take peers once `configure`d.
   */
  constructor(options: PeerWorkerPoolOptions) {
    this.options = options;
    while (this.threads.length < options.size) this.threads.push(this.startThread());
  }

  /** Resolves once every worker has loaded werift (or is gone): a client's offer is then answered in time. */
  async started(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.started));
  }

  /** How every peer binds and what its answer advertises: the edge's ICE settings, once resolved. */
  configure(peer: PeerOptions): void {
    this.peer = peer;
    for (const thread of this.threads) thread.post({ type: 'configure', peer });
  }

  /** A new peer on the least-loaded worker; `answer` it with the client's offer. */
  open(hooks: WorkerPeerHooks): WorkerPeer {
    if (this.closed) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is shutting down');
    if (this.peer === undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the edge is starting', { retryable: true });
    const thread = this.placement();
    const peer = new WorkerPeer(
      this.nextPeerId++,
      { post: (message, transfer) => thread.post(message, transfer), forget: (id) => thread.peers.delete(id) },
      hooks,
    );
    thread.peers.set(peer.id, peer);
    return peer;
  }

  /** Peers per live worker, for /status and tests. */
  loads(): number[] {
    return this.threads.map((thread) => thread.peers.size);
  }

  /**
   * @internal Tests only: ends worker `index` (of `loads()`) as a crash would: its sessions are told, the
   * others go on. There is no other way to make a worker fail on demand.
   */
  async terminateWorker(index: number): Promise<void> {
    await this.threads[index]?.worker.terminate();
  }

  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    for (const thread of threads) thread.lost = true;
    await Promise.allSettled(threads.map((thread) => thread.worker.terminate()));
  }

  private placement(): PeerWorkerThread {
    while (this.threads.length < this.options.size) this.threads.push(this.startThread());
    // A replacement still loading werift would hold the offer past the client's timeout: started ones first.
    const started = this.threads.filter((thread) => thread.ready);
    const candidates = started.length > 0 ? started : this.threads;
    return candidates.reduce((least, thread) => (thread.peers.size < least.peers.size ? thread : least));
  }

  private startThread(): PeerWorkerThread {
    const thread = new PeerWorkerThread({ limits: this.options.limits, lowWatermark: LOW_WATERMARK }, (lost, reason) => this.lose(lost, reason));
    if (this.peer !== undefined) thread.post({ type: 'configure', peer: this.peer });
    return thread;
  }

  private lose(thread: PeerWorkerThread, reason: string): void {
    if (thread.lost) return;
    thread.lost = true;
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
    const peers = [...thread.peers.values()];
    thread.peers.clear();
    this.options.log.error('peer worker lost', { reason, peers: peers.length });
    void thread.worker.terminate();
    // The replacement starts now, so that it has loaded werift by the time a client offers again.
    if (!this.closed) this.threads.push(this.startThread());
    for (const peer of peers) {
      peer.workerLost(
        new RemoteMediaError(
          ErrorCode.PeerWorkerLost,
          `the edge thread running this session's WebRTC peer failed (${reason}); the data channel closed and the ` +
            'session goes on over the WebSocket; reconnect to use the data channel again',
          { retryable: true },
        ),
      );
    }
  }
}
