import type { RawChannel, RawChannelHandlers } from '@remotemedia/shared';

/** RawChannel over a browser RTCDataChannel. */
export class BrowserDataChannel implements RawChannel {
  readonly kind = 'datachannel' as const;
  private readonly channel: RTCDataChannel;

  constructor(channel: RTCDataChannel) {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
  }

  get bufferedAmount(): number {
    return this.channel.bufferedAmount;
  }

  get isOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  send(chunk: Uint8Array): void {
    this.channel.send(chunk as Uint8Array<ArrayBuffer>);
  }

  attach(handlers: RawChannelHandlers, lowWatermark: number): void {
    this.channel.bufferedAmountLowThreshold = lowWatermark;
    this.channel.addEventListener('bufferedamountlow', () => handlers.onDrain());
    this.channel.addEventListener('message', (event: MessageEvent) => {
      handlers.onChunk(event.data instanceof ArrayBuffer ? new Uint8Array(event.data) : new Uint8Array(0));
    });
    this.channel.addEventListener('close', () => handlers.onClose('data channel closed'));
  }

  close(): void {
    this.channel.close();
  }
}
