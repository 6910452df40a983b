import { CloseCode, closeReason } from './CloseCode.ts';
import type { RawChannel, RawChannelHandlers } from './RawChannel.ts';

/** The part of the WHATWG WebSocket API we use; browsers' WebSocket and the `ws` package both provide it. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}

const OPEN = 1;
/** How often to look at bufferedAmount while above the low watermark: WebSocket has no drain event. */
const DRAIN_POLL_MS = 2;

/** RawChannel over a WebSocket, for the fallback transport and for signaling. */
export class WebSocketChannel implements RawChannel {
  readonly kind = 'websocket' as const;
  private readonly socket: WebSocketLike;
  private handlers: RawChannelHandlers | undefined;
  private lowWatermark = 0;
  private polling = false;

  constructor(socket: WebSocketLike) {
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.socket.readyState === OPEN;
  }

  send(chunk: Uint8Array): void {
    this.socket.send(chunk);
    this.watchDrain();
  }

  attach(handlers: RawChannelHandlers, lowWatermark: number): void {
    this.handlers = handlers;
    this.lowWatermark = lowWatermark;
    this.socket.addEventListener('message', (event) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) handlers.onChunk(new Uint8Array(data));
      else if (data instanceof Uint8Array) handlers.onChunk(data);
      // Text frames are not part of the protocol: hand over nothing readable so the layer above reports it.
      else handlers.onChunk(new Uint8Array(0));
    });
    this.socket.addEventListener('close', (event) => {
      handlers.onClose(event.reason ? `websocket closed: ${event.code} ${event.reason}` : `websocket closed: ${event.code}`);
    });
  }

  close(status?: { code: number; reason: string }): void {
    if (status === undefined) this.socket.close(CloseCode.Normal, 'closed');
    else this.socket.close(status.code, closeReason(status.reason));
  }

  // A timer (not a promise loop) so the event loop keeps turning while we wait for the socket to drain.
  private watchDrain(): void {
    if (this.polling || this.socket.bufferedAmount <= this.lowWatermark) return;
    this.polling = true;
    const check = (): void => {
      if (this.socket.readyState !== OPEN) {
        this.polling = false;
        return;
      }
      if (this.socket.bufferedAmount > this.lowWatermark) {
        setTimeout(check, DRAIN_POLL_MS);
        return;
      }
      this.polling = false;
      this.handlers?.onDrain();
    };
    setTimeout(check, DRAIN_POLL_MS);
  }
}
