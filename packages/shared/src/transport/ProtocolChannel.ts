import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { decodeMessage, encodeMessage } from '../codec/index.ts';
import { DEFAULT_LIMITS, type ProtocolLimits } from '../protocol/limits.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import type { TransportKind, Unversioned } from '../protocol/messages.ts';
import type { RawChannel } from './RawChannel.ts';
import { CloseCode } from './CloseCode.ts';
import { MessageIdSequence, splitMessage } from './Chunker.ts';
import { Reassembler } from './Reassembler.ts';
import { TypedEmitter } from '../events/TypedEmitter.ts';

/** Control messages (replies, calls, errors) jump ahead of frames so a busy video stream cannot delay them. */
export type SendPriority = 'control' | 'media';

export interface ProtocolChannelOptions<In> {
  /** Validates a decoded message; throws RemoteMediaError for a malformed one. */
  parse(value: unknown): In;
  limits?: Partial<ProtocolLimits>;
  /**
   * Stop handing chunks to the channel above this many buffered bytes. 256 KiB: werift's throughput
   * collapsed with megabytes queued (measured: 4 MiB queued cut it from ~15 to ~2 MB/s), and a small buffer
   * keeps latency low.
   */
  highWatermark?: number;
  /** Resume sending once the buffer drains to this. */
  lowWatermark?: number;
  /** Where a listener's exception goes (default: rethrown on a later tick, so it is seen but breaks nothing here). */
  onListenerError?: (error: unknown) => void;
  /**
   * Bytes of messages waiting to go out (beyond what the raw channel buffers). A send past it means the other
   * side is not reading: the channel closes (WebSocket close code 1008) and every waiting send fails with
   * SLOW_CONSUMER, so a reader that never drains costs at most this much. Unset: unbounded.
   */
  maxQueuedBytes?: number;
}

export interface ProtocolChannelEvents<In> {
  message(message: In): void;
  /** An inbound message was malformed or over a limit; the channel itself keeps working. */
  invalid(error: RemoteMediaError): void;
  /** `error` is set when the channel closed itself over the other side's fault (SLOW_CONSUMER). */
  close(reason: string, error?: RemoteMediaError): void;
}

interface Outgoing {
  chunks: Uint8Array[];
  next: number;
  /** Bytes of the chunks not yet handed to the raw channel. */
  remaining: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Typed, versioned, chunked, flow-controlled messages over one RawChannel.
 * Sending: encode -> split into chunks -> two queues (control before media) -> the raw channel, never
 * past the high watermark. Receiving: reassemble -> decode with pre-scan -> validate -> `message`.
 */
export class ProtocolChannel<In, Out extends { type: string }> {
  readonly kind: TransportKind;
  private readonly raw: RawChannel;
  private readonly options: ProtocolChannelOptions<In>;
  private limits: ProtocolLimits;
  private readonly highWatermark: number;
  private readonly ids = new MessageIdSequence();
  private readonly reassembler: Reassembler;
  private readonly queues: Record<SendPriority, Outgoing[]> = { control: [], media: [] };
  /** A listener's exception must not break the channel or the other listeners. */
  private readonly events: TypedEmitter<ProtocolChannelEvents<In>>;
  private closedReason: string | undefined;
  /** Bytes in `queues`, for maxQueuedBytes. */
  private queuedBytes = 0;
  bytesSent = 0;
  bytesReceived = 0;

  constructor(raw: RawChannel, options: ProtocolChannelOptions<In>) {
    this.raw = raw;
    this.kind = raw.kind;
    this.options = options;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.highWatermark = options.highWatermark ?? 256 * 1024;
    this.reassembler = new Reassembler(this.limits);
    this.events = new TypedEmitter({ onListenerError: options.onListenerError });
    raw.attach(
      {
        onChunk: (chunk) => this.receive(chunk),
        onDrain: () => this.pump(),
        onClose: (reason) => this.handleClose(reason),
        onInvalid: (error) => {
          if (this.closedReason === undefined) this.events.emit('invalid', error);
        },
      },
      options.lowWatermark ?? 64 * 1024,
    );
  }

  get isOpen(): boolean {
    return this.closedReason === undefined && this.raw.isOpen;
  }

  on<K extends keyof ProtocolChannelEvents<In>>(event: K, listener: ProtocolChannelEvents<In>[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Adopts the other side's (smaller) limits for what we send, e.g. from the edge's `welcome`, so an
   * oversized message fails here with a typed error instead of being refused after crossing the wire.
   */
  limitOutgoing(limits: Partial<Pick<ProtocolLimits, 'maxMessageBytes' | 'maxChunkBytes'>>): void {
    this.limits = {
      ...this.limits,
      maxMessageBytes: Math.min(this.limits.maxMessageBytes, limits.maxMessageBytes ?? Number.POSITIVE_INFINITY),
      maxChunkBytes: Math.min(this.limits.maxChunkBytes, limits.maxChunkBytes ?? Number.POSITIVE_INFINITY),
    };
  }

  /** Bytes sent but not yet on the wire: waiting here, and buffered by the raw channel. */
  get pendingBytes(): number {
    return this.queuedBytes + this.raw.bufferedAmount;
  }

  /** Resolves once every chunk of the message has been handed to the channel. */
  send(message: Unversioned<Out>, priority: SendPriority = 'control'): Promise<void> {
    if (this.closedReason !== undefined) return Promise.reject(this.closedError(message.type));
    let payload: Uint8Array;
    try {
      // Throws MESSAGE_TOO_LARGE or INVALID_INPUT (a value the other side could not decode) before anything is sent.
      payload = encodeMessage({ v: PROTOCOL_VERSION, ...message }, this.limits);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(message.type, payload, priority);
  }

  /**
   * Sends a message already encoded (with PROTOCOL_VERSION, within this channel's limits, e.g. by
   * encodeWithEncodedField); `type` names it in errors. For replies whose content is encoded once and reused.
   */
  sendEncoded(type: Out['type'], payload: Uint8Array, priority: SendPriority = 'control'): Promise<void> {
    if (this.closedReason !== undefined) return Promise.reject(this.closedError(type));
    if (payload.byteLength > this.limits.maxMessageBytes) {
      return Promise.reject(
        new RemoteMediaError(
          ErrorCode.MessageTooLarge,
          `"${type}" of ${payload.byteLength} bytes exceeds maxMessageBytes (${this.limits.maxMessageBytes})`,
        ),
      );
    }
    return this.enqueue(type, payload, priority);
  }

  private closedError(type: string): RemoteMediaError {
    return new RemoteMediaError(ErrorCode.ConnectionClosed, `cannot send "${type}": the ${this.kind} is closed (${this.closedReason})`, {
      retryable: true,
    });
  }

  private enqueue(type: string, payload: Uint8Array, priority: SendPriority): Promise<void> {
    const max = this.options.maxQueuedBytes;
    if (max !== undefined && this.queuedBytes + payload.byteLength > max) return Promise.reject(this.overflow(type, payload.byteLength, max));
    const chunks = this.raw.carriesWholeMessages ? [payload] : splitMessage(this.ids.next(), payload, this.limits.maxChunkBytes);
    const remaining = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    this.queuedBytes += remaining;
    return new Promise<void>((resolve, reject) => {
      this.queues[priority].push({ chunks, next: 0, remaining, resolve, reject });
      this.pump();
    });
  }

  /** `code`: the WebSocket close code to send (see CloseCode), with `reason` as its reason; default 1000. */
  close(reason = 'closed by this side', code?: number): void {
    if (this.closedReason !== undefined) return;
    this.raw.close(code === undefined ? undefined : { code, reason });
    this.handleClose(reason);
  }

  /** The other side stopped reading: close, and fail what waits with SLOW_CONSUMER rather than keep growing. */
  private overflow(type: string, bytes: number, max: number): RemoteMediaError {
    const error = new RemoteMediaError(
      ErrorCode.SlowConsumer,
      `the other side of this ${this.kind} is not reading what it is sent: ${this.queuedBytes} bytes were waiting and ` +
        `"${type}" (${bytes} bytes) would pass the send queue limit of ${max} bytes, so the connection was closed`,
    );
    const reason = `${ErrorCode.SlowConsumer}: not reading; over ${max} bytes waiting to be sent`;
    this.raw.close({ code: CloseCode.PolicyViolation, reason });
    this.handleClose(reason, error);
    return error;
  }

  private pump(): void {
    while (this.closedReason === undefined && this.raw.bufferedAmount < this.highWatermark) {
      const queue = this.queues.control.length > 0 ? this.queues.control : this.queues.media;
      const item = queue[0];
      if (item === undefined) return;
      const chunk = item.chunks[item.next++]!;
      try {
        this.raw.send(chunk);
      } catch (error) {
        queue.shift();
        this.queuedBytes -= item.remaining;
        item.reject(
          new RemoteMediaError(ErrorCode.ConnectionClosed, `send failed on the ${this.kind}: ${(error as Error).message}`, {
            cause: error,
            retryable: true,
          }),
        );
        continue;
      }
      this.bytesSent += chunk.byteLength;
      item.remaining -= chunk.byteLength;
      this.queuedBytes -= chunk.byteLength;
      if (item.next === item.chunks.length) {
        queue.shift();
        item.resolve();
      }
    }
  }

  private receive(chunk: Uint8Array): void {
    // A transport may still dispatch chunks it had queued after we closed; the half-message they belong
    // to was abandoned with the connection, so they are not an error of the peer's.
    if (this.closedReason !== undefined) return;
    this.bytesReceived += chunk.byteLength;
    let message: In;
    try {
      const payload = this.raw.carriesWholeMessages ? chunk : this.reassembler.push(chunk);
      if (payload === undefined) return;
      message = this.options.parse(decodeMessage(payload, this.limits));
    } catch (error) {
      const typed =
        error instanceof RemoteMediaError
          ? error
          : new RemoteMediaError(ErrorCode.MalformedMessage, `unreadable message: ${(error as Error).message}`);
      this.events.emit('invalid', typed);
      return;
    }
    this.events.emit('message', message);
  }

  private handleClose(reason: string, error?: RemoteMediaError): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.reassembler.clear();
    this.queuedBytes = 0;
    for (const queue of Object.values(this.queues)) {
      for (const item of queue.splice(0)) {
        item.reject(
          error ??
            new RemoteMediaError(ErrorCode.ConnectionClosed, `the ${this.kind} closed before the message was sent (${reason})`, { retryable: true }),
        );
      }
    }
    this.events.emit('close', reason, error);
  }
}
