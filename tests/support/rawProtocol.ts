import {
  MessageIdSequence,
  PROTOCOL_VERSION,
  Reassembler,
  decodeMessage,
  encodeMessage,
  parseEdgeMessage,
  splitMessage,
  type EdgeMessage,
} from '@remotemedia/shared';
import { OPCODE, openRawWebSocket, wsFrame, type RawWebSocket } from './rawWebSocket.ts';

/**
 * The protocol spoken by hand over a RawWebSocket: messages are encoded and chunked like the SDK does, but
 * nothing stops a test from sending any shape, any bytes, any chunk, or a broken WebSocket frame next to
 * them. What the edge sends back is reassembled and decoded as it arrives.
 */
export class RawProtocolClient {
  readonly raw: RawWebSocket;
  /** Every decoded message from the edge not yet taken by `next` or `take`. */
  readonly inbox: EdgeMessage[] = [];
  /** How many messages arrived, by `type` (and `error:<code>` for errors). */
  readonly counts = new Map<string, number>();
  private readonly ids = new MessageIdSequence();
  private readonly reassembler = new Reassembler();
  private readIndex = 0;

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
    return this.counts.get(key) ?? 0;
  }

  /** The next message of `type` (or any), waiting up to `timeoutMs`. */
  async next(type?: EdgeMessage['type'], timeoutMs = 10_000): Promise<EdgeMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.read();
      const index = this.inbox.findIndex((m) => type === undefined || m.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no ${type ?? 'message'} from the edge within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Takes every decoded message so far (keeps a long run's memory flat). */
  take(): EdgeMessage[] {
    this.read();
    return this.inbox.splice(0);
  }

  private read(): void {
    const frames = this.raw.messages;
    for (; this.readIndex < frames.length; this.readIndex++) {
      const payload = this.reassembler.push(frames[this.readIndex]!);
      if (payload === undefined) continue;
      const message = parseEdgeMessage(decodeMessage(payload));
      const key = message.type === 'error' ? `error:${message.error.code}` : message.type;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.inbox.push(message);
    }
    // Frames are consumed: let them go.
    frames.splice(0, this.readIndex);
    this.readIndex = 0;
  }
}
