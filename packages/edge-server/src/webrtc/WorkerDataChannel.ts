import { markOwnedBuffer, type RawChannel, type RawChannelHandlers } from '@remotemedia/shared/transport';
import type { RemoteMediaError } from '@remotemedia/shared/errors';

/** What the channel needs from its peer: a way to post a payload to the worker, and to close. */
export interface WorkerChannelLink {
  send(payload: Uint8Array): void;
  close(): void;
}

/**
 * The main thread's view of a data channel whose peer lives in a peer worker: whole messages both ways
 * (the worker splits and reassembles them), moved between threads, never copied by structured clone.
 *
 * Flow control mirrors werift's: the worker reports how many payload bytes it has taken so far and what
 * werift still buffers, so `bufferedAmount` is (bytes posted - bytes taken) + werift's buffer, and the
 * protocol layer above stops at its high watermark exactly as it did with the peer on this thread.
 */
export class WorkerDataChannel implements RawChannel {
  readonly kind = 'datachannel' as const;
  readonly carriesWholeMessages = true;
  private readonly link: WorkerChannelLink;
  private handlers: RawChannelHandlers | undefined;
  private posted = 0;
  private handed = 0;
  private buffered = 0;
  private closed = false;

  constructor(link: WorkerChannelLink) {
    this.link = link;
  }

  get bufferedAmount(): number {
    return this.posted - this.handed + this.buffered;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(payload: Uint8Array): void {
    if (this.closed) throw new Error('the data channel is closed');
    // The encoder's output is a view into its reused buffer (and cached replies are sent again): the worker
    // gets a copy of its own, moved to it rather than cloned.
    const own = payload.slice();
    this.posted += own.byteLength;
    this.link.send(own);
  }

  attach(handlers: RawChannelHandlers): void {
    this.handlers = handlers;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.link.close();
  }

  /** A whole message from the worker, in a buffer moved to this thread for it alone. */
  receive(payload: Uint8Array): void {
    if (this.closed) return;
    markOwnedBuffer(payload.buffer);
    this.handlers?.onChunk(payload);
  }

  invalid(error: RemoteMediaError): void {
    if (!this.closed) this.handlers?.onInvalid?.(error);
  }

  flow(handed: number, buffered: number): void {
    this.handed = handed;
    this.buffered = buffered;
    if (!this.closed) this.handlers?.onDrain();
  }

  /**
   * The channel went away on the worker's side (or with the worker). Not after `close`: the protocol layer
   * closed it itself and reports why (SLOW_CONSUMER), which a plain close event here would pre-empt.
   */
  ended(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers?.onClose(reason);
  }
}
