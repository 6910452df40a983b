import { createSocket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;

export interface StunResponder {
  port: number;
  /** Binding requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * A minimal STUN server on 127.0.0.1: answers every Binding request with the sender's address (RFC 5389
 * XOR-MAPPED-ADDRESS), so a test can see whether a client really uses the STUN server it was handed.
 */
export async function startStunResponder(): Promise<StunResponder> {
  const socket = createSocket('udp4');
  let requests = 0;
  socket.on('error', () => undefined);
  socket.on('message', (message, from) => {
    if (message.length < 20 || message.readUInt16BE(0) !== 0x0001 || message.readUInt32BE(4) !== MAGIC_COOKIE) return;
    requests++;
    const response = Buffer.alloc(32);
    response.writeUInt16BE(0x0101, 0); // Binding success response
    response.writeUInt16BE(12, 2); // one 12-byte attribute
    message.copy(response, 4, 4, 20); // magic cookie and transaction id
    response.writeUInt16BE(0x0020, 20); // XOR-MAPPED-ADDRESS
    response.writeUInt16BE(8, 22);
    response.writeUInt8(0x01, 25); // IPv4
    response.writeUInt16BE(from.port ^ (MAGIC_COOKIE >>> 16), 26);
    const address = from.address.split('.').reduce((word, part) => ((word << 8) | Number(part)) >>> 0, 0);
    response.writeUInt32BE((address ^ MAGIC_COOKIE) >>> 0, 28);
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  return {
    port: socket.address().port,
    get requests() {
      return requests;
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
