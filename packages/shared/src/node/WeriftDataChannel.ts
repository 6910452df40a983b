import type { RTCDataChannel } from 'werift';
import type { RawChannel, RawChannelHandlers } from '../transport/RawChannel.ts';

/** RawChannel over a werift data channel (the edge's side, and the Node SDK's). */
export class WeriftDataChannel implements RawChannel {
  readonly kind = 'datachannel' as const;
  private readonly channel: RTCDataChannel;

  constructor(channel: RTCDataChannel) {
    this.channel = channel;
  }

  get bufferedAmount(): number {
    return this.channel.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  send(chunk: Uint8Array): void {
    // werift wants a Buffer; this one is a view over the same memory, not a copy.
    this.channel.send(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  attach(handlers: RawChannelHandlers, lowWatermark: number): void {
    this.channel.bufferedAmountLowThreshold = lowWatermark;
    this.channel.bufferedAmountLow.subscribe(() => handlers.onDrain());
    this.channel.onMessage.subscribe((data) => {
      // The protocol is binary only; a text message is dropped here and reported as malformed above.
      const bytes = typeof data === 'string' ? new Uint8Array(0) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      handlers.onChunk(bytes);
    });
    this.channel.stateChanged.subscribe((state) => {
      if (state === 'closed') handlers.onClose('data channel closed');
    });
  }

  close(): void {
    this.channel.close();
  }
}
