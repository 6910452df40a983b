import { createSocket, type Socket } from 'node:dgram';

export interface UdpEndpoint {
  address: string;
  port: number;
}

/**
 * A UDP relay on 127.0.0.1 between two known endpoints, A and B, that can drop every Nth datagram in each
 * direction. A is told B lives at `portForA` and B that A lives at `portForB`; datagrams from anyone else
 * are ignored, so nothing bypasses the loss. Counts what it forwarded and dropped.
 */
export class LossyUdpRelay {
  /** Drop every Nth datagram in each direction; 0 forwards everything. */
  dropEvery = 0;
  readonly forwarded = { aToB: 0, bToA: 0 };
  readonly dropped = { aToB: 0, bToA: 0 };
  /** Bytes of the largest datagram seen each way (shows the SCTP chunk size in use). */
  readonly largest = { aToB: 0, bToA: 0 };
  private readonly facingA: Socket;
  private readonly facingB: Socket;
  private a: UdpEndpoint | undefined;
  private b: UdpEndpoint | undefined;

  private constructor(facingA: Socket, facingB: Socket) {
    this.facingA = facingA;
    this.facingB = facingB;
    facingA.on('message', (datagram, from) => {
      if (this.a === undefined || this.b === undefined || !sameEndpoint(from, this.a)) return;
      this.forward(datagram, facingB, this.b, 'aToB');
    });
    facingB.on('message', (datagram, from) => {
      if (this.a === undefined || this.b === undefined || !sameEndpoint(from, this.b)) return;
      this.forward(datagram, facingA, this.a, 'bToA');
    });
  }

  static async start(): Promise<LossyUdpRelay> {
    const bind = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = createSocket('udp4');
        socket.once('error', reject);
        socket.bind(0, '127.0.0.1', () => {
          socket.off('error', reject);
          // A send to a closed peer port reports ECONNREFUSED here; the relay just loses that datagram.
          socket.on('error', () => undefined);
          resolve(socket);
        });
      });
    return new LossyUdpRelay(await bind(), await bind());
  }

  /** The port A sends to in order to reach B (B's candidate, as A sees it). */
  get portForA(): number {
    return this.facingA.address().port;
  }

  /** The port B sends to in order to reach A. */
  get portForB(): number {
    return this.facingB.address().port;
  }

  /** Where the two peers really are; datagrams are relayed only between these two. */
  connect(a: UdpEndpoint, b: UdpEndpoint): void {
    this.a = a;
    this.b = b;
  }

  close(): void {
    this.facingA.close();
    this.facingB.close();
  }

  private forward(datagram: Buffer, via: Socket, to: UdpEndpoint, direction: 'aToB' | 'bToA'): void {
    const sequence = this.forwarded[direction] + this.dropped[direction] + 1;
    this.largest[direction] = Math.max(this.largest[direction], datagram.byteLength);
    if (this.dropEvery > 0 && sequence % this.dropEvery === 0) {
      this.dropped[direction]++;
      return;
    }
    this.forwarded[direction]++;
    via.send(datagram, to.port, to.address);
  }
}

function sameEndpoint(from: { address: string; port: number }, endpoint: UdpEndpoint): boolean {
  return from.port === endpoint.port && from.address === endpoint.address;
}
