import type { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { TransportKind } from '../protocol/messages.ts';

/** What a byte pipe tells the protocol layer above it. */
export interface RawChannelHandlers {
  onChunk(chunk: Uint8Array): void;
  /** The send buffer fell to the channel's low watermark: more may be sent. */
  onDrain(): void;
  onClose(reason: string): void;
  /**
   * Only for channels that carry whole messages: the bytes received could not be reassembled into a message
   * within the limits (typed: MESSAGE_TOO_LARGE, REASSEMBLY_LIMIT, MALFORMED_MESSAGE); the channel goes on.
   */
  onInvalid?(error: RemoteMediaError): void;
}

/**
 * A message-oriented byte pipe: a WebRTC data channel or a WebSocket, in a browser or in Node.
 * Each `send` is one chunk of at most `maxChunkBytes`; the protocol layer does chunking and
 * flow control, so adapters stay thin (one per runtime and transport).
 */
export interface RawChannel {
  readonly kind: TransportKind;
  /** Bytes handed to `send` but not yet on the wire. */
  readonly bufferedAmount: number;
  readonly isOpen: boolean;
  /**
   * True when the channel splits and reassembles messages itself (in another thread, within the same limits):
   * `send` then takes one whole encoded message, and `onChunk` gives one whole received message.
   */
  readonly carriesWholeMessages?: boolean;
  send(chunk: Uint8Array): void;
  /** Registers the protocol layer's handlers; called once. `lowWatermark` sets when `onDrain` fires. */
  attach(handlers: RawChannelHandlers, lowWatermark: number): void;
  /** `status` is a WebSocket close code and reason (see CloseCode); transports without one ignore it. */
  close(status?: { code: number; reason: string }): void;
}
