import { MessageIdSequence, PROTOCOL_VERSION, encodeMessage, splitMessage, type EdgeMessage } from '@remotemedia/shared';
import { EdgeReplies } from './edgeReplies.ts';
import { OPCODE, openRawWebSocket, wsFrame, type RawWebSocket } from './rawWebSocket.ts';

/**
 * The protocol spoken by hand over a RawWebSocket: messages are encoded and chunked like the SDK does, but
 * nothing stops a test from sending any shape, any bytes, any chunk, or a broken WebSocket frame next to
 * them. What the edge sends back is reassembled and decoded.
 */
export class RawProtocolClient {
  readonly raw: RawWebSocket;
  private readonly replies = new EdgeReplies();
  private readonly ids = new MessageIdSequence();

  private constructor(raw: RawWebSocket) {
    this.raw = raw;
  }

  static async open(url: string): Promise<RawProtocolClient> {
    return new RawProtocolClient(await openRawWebSocket(url));
  }

  /** A message as the SDK would encode it; `v` is filled in unless the message sets it (or sets it wrong). */
  send(message: Record<string, unknown>): void {
    this.sendPayload(encodeMessage({ v: PROTOCOL_VERSION, ...message }));
  }

  /** Already-encoded bytes, chunked with correct headers. */
  sendPayload(payload: Uint8Array): void {
    for (const chunk of splitMessage(this.ids.next(), payload)) this.sendChunk(chunk);
  }

  /** One WebSocket binary message, whatever it holds. */
  sendChunk(chunk: Uint8Array): void {
    this.raw.write(wsFrame({ opcode: OPCODE.binary, payload: chunk }));
  }

  count(key: string): number {
    this.read();
    return this.replies.count(key);
  }

  next(type?: EdgeMessage['type'], timeoutMs = 10_000): Promise<EdgeMessage> {
    return this.replies.next(type, timeoutMs, () => this.read());
  }

  take(): EdgeMessage[] {
    this.read();
    return this.replies.take();
  }

  private read(): void {
    for (const frame of this.raw.messages.splice(0)) this.replies.push(frame);
  }
}
