import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/**
 * WebSocket frames written by hand, for what a conforming client library refuses to send: reserved bits,
 * unknown opcodes, unmasked client frames, invalid UTF-8, lengths past the server's limit (RFC 6455 5.2).
 */
export interface RawFrame {
  opcode: number;
  payload: Uint8Array;
  rsv1?: boolean;
  /** Clients must mask; false sends the payload in the clear, which a server must refuse. */
  masked?: boolean;
}

export function encodeFrame({ opcode, payload, rsv1 = false, masked = true }: RawFrame): Buffer {
  const length = payload.byteLength;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const header = Buffer.alloc(2 + lengthBytes + (masked ? 4 : 0));
  header[0] = 0x80 | (rsv1 ? 0x40 : 0) | (opcode & 0x0f);
  header[1] = (masked ? 0x80 : 0) | (lengthBytes === 0 ? length : lengthBytes === 2 ? 126 : 127);
  if (lengthBytes === 2) header.writeUInt16BE(length, 2);
  if (lengthBytes === 8) header.writeBigUInt64BE(BigInt(length), 2);
  const body = Buffer.from(payload);
  if (masked) {
    const mask = randomBytes(4);
    mask.copy(header, 2 + lengthBytes);
    for (let i = 0; i < body.length; i++) body[i]! ^= mask[i & 3]!;
  }
  return Buffer.concat([header, body]);
}

/** The socket closed (by the server, or because the connection failed) and how. */
export interface RawOutcome {
  upgraded: boolean;
  /** HTTP status of a refused upgrade, when there was one. */
  status?: number;
  /** Connection-level error code (ECONNREFUSED once the edge is gone). */
  error?: string;
}

/**
 * Opens a TCP connection to `url`'s /signal, completes the WebSocket upgrade, writes `frames` and waits
 * (at most `timeoutMs`) for the server to close the connection.
 */
export function sendRawFrames(url: string, frames: Buffer[], timeoutMs = 2000): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    let response = '';
    let outcome: RawOutcome = { upgraded: false };
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      outcome = { ...outcome, error: error.code ?? error.message };
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(outcome);
    });
    socket.on('connect', () => {
      socket.write(
        `GET /signal HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (data: Buffer) => {
      if (outcome.upgraded) return;
      response += data.toString('latin1');
      const end = response.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1] ?? 0);
      outcome = { upgraded: status === 101, status };
      if (status !== 101) {
        socket.destroy();
        return;
      }
      for (const frame of frames) socket.write(frame);
    });
  });
}
