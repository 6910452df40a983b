import { WebSocket } from 'ws';
import { WeriftPeerLink } from '@remotemedia/browser-sdk/node';
import {
  ProtocolChannel,
  WebSocketChannel,
  readChunkHeader,
  type ChunkHeader,
  type RawChannel,
  type RawChannelHandlers,
  type WebSocketLike,
} from '@remotemedia/shared/transport';
import { parseEdgeMessage, type ClientMessage, type EdgeMessage, type TransportKind, type WelcomeMessage } from '@remotemedia/shared/protocol';

export type ClientChannel = ProtocolChannel<EdgeMessage, ClientMessage>;

/**
 * A protocol client of a real edge that speaks over one transport: the WebSocket itself, or a werift data
 * channel negotiated over it. `link.sent` lists the header of every chunk handed to that transport, in order, so
 * a test sees how messages were split and interleaved on the wire.
 */
export interface ProtocolClient {
  readonly transport: TransportKind;
  readonly channel: ClientChannel;
  readonly welcome: WelcomeMessage;
  /** The traffic channel's link: what went out, and congestion on demand. */
  readonly link: ObservedChannel;
  /** The next message (of the traffic channel) that `matches`, waiting at most 30 s. */
  next(matches: (message: EdgeMessage) => boolean, what: string): Promise<EdgeMessage>;
  /** Everything received on the traffic channel so far, in arrival order. */
  received(): EdgeMessage[];
  close(): void;
}

/**
 * The real channel, observed: writes down each chunk's header as the protocol layer hands it over, and can play
 * a congested link (`hold` keeps chunks back and counts them as buffered, `release` lets them go in order).
 * Congestion has to be played: on loopback the kernel takes a whole 8 MB frame at once over a WebSocket (`ws`
 * reports nothing buffered), so without it no message would ever wait in the protocol layer's queues.
 */
export class ObservedChannel implements RawChannel {
  readonly sent: ChunkHeader[] = [];
  private held: Uint8Array[] | undefined;
  private heldBytes = 0;
  private handlers: RawChannelHandlers | undefined;

  constructor(private readonly inner: RawChannel) {}

  get kind(): TransportKind {
    return this.inner.kind;
  }
  get bufferedAmount(): number {
    return this.inner.bufferedAmount + this.heldBytes;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  send(chunk: Uint8Array): void {
    if (this.held) {
      this.held.push(chunk);
      this.heldBytes += chunk.byteLength;
    } else {
      this.inner.send(chunk);
    }
    this.sent.push(readChunkHeader(chunk));
  }
  attach(handlers: RawChannelHandlers, lowWatermark: number): void {
    this.handlers = handlers;
    this.inner.attach(handlers, lowWatermark);
  }
  close(): void {
    // A link that dies loses what it still held.
    this.held = undefined;
    this.heldBytes = 0;
    this.inner.close();
  }
  hold(): void {
    this.held ??= [];
  }
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.heldBytes = 0;
    for (const chunk of held) this.inner.send(chunk);
    this.handlers?.onDrain();
  }
}

const WAIT_MS = 30_000;

function inbox(channel: ClientChannel): Pick<ProtocolClient, 'next' | 'received'> {
  const all: EdgeMessage[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  channel.on('message', (message) => {
    all.push(message);
    for (const wake of [...waiters]) wake();
  });
  return {
    received: () => [...all],
    async next(matches, what) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const index = all.findIndex((message, i) => i >= taken && matches(message));
        if (index >= 0) {
          taken = index + 1;
          return all[index]!;
        }
        if (Date.now() > deadline) throw new Error(`no ${what} within ${WAIT_MS} ms; received: ${all.map((m) => m.type).join(', ')}`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 200);
          waiters.add(wake);
        });
      }
    },
  };
}

async function openSocket(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/signal`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return ws;
}

async function waitFor(channel: ClientChannel, type: EdgeMessage['type']): Promise<EdgeMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within ${WAIT_MS} ms`)), WAIT_MS);
    const off = channel.on('message', (message) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      off();
      resolve(message);
    });
  });
}

/** Says hello on /signal and, for `datachannel`, moves the traffic to a werift data channel as the SDK does. */
export async function openProtocolClient(url: string, transport: TransportKind): Promise<ProtocolClient> {
  const ws = await openSocket(url);
  const socketRaw = new ObservedChannel(new WebSocketChannel(ws as unknown as WebSocketLike));
  const signaling: ClientChannel = new ProtocolChannel(socketRaw, { parse: parseEdgeMessage });
  const welcomed = waitFor(signaling, 'welcome');
  await signaling.send({ type: 'hello', sdkVersion: 'contract-test' });
  const welcome = (await welcomed) as WelcomeMessage;
  signaling.limitOutgoing(welcome.limits);
  if (transport === 'websocket') {
    return { transport, channel: signaling, welcome, link: socketRaw, ...inbox(signaling), close: () => signaling.close() };
  }
  const link = new WeriftPeerLink();
  const answered = waitFor(signaling, 'answer');
  await signaling.send({ type: 'offer', sdp: await link.createOffer() });
  const answer = await answered;
  if (answer.type !== 'answer') throw new Error(`expected an answer, got ${answer.type}`);
  await link.acceptAnswer(answer.sdp);
  const dataRaw = new ObservedChannel(await link.open);
  const channel: ClientChannel = new ProtocolChannel(dataRaw, { parse: parseEdgeMessage });
  channel.limitOutgoing(welcome.limits);
  return {
    transport,
    channel,
    welcome,
    link: dataRaw,
    ...inbox(channel),
    close: () => {
      channel.close();
      signaling.close();
      link.close();
    },
  };
}
