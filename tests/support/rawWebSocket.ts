import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** One WebSocket frame as bytes, built by hand so a test can break any rule of RFC 6455 on purpose. */
export interface FrameSpec {
  opcode: number;
  payload?: Uint8Array;
  fin?: boolean;
  rsv1?: boolean;
  /** Clients must mask; false sends an unmasked frame (a protocol violation toward a server). */
  masked?: boolean;
  /** Length written in the header when it should lie about the payload that follows. */
  declaredLength?: number;
}

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export function wsFrame(spec: FrameSpec): Buffer {
  const payload = Buffer.from(spec.payload ?? new Uint8Array(0));
  const length = spec.declaredLength ?? payload.byteLength;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.alloc(payload.byteLength);
  for (let i = 0; i < payload.byteLength; i++) body[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, body]);
}

export interface RawWebSocket {
  socket: Socket;
  write(bytes: Uint8Array): void;
  /** The server's close frame (code and reason), or undefined if the TCP connection ended without one. */
  closeFrame: Promise<{ code: number; reason: string } | undefined>;
  /** Resolves when the TCP connection is gone. */
  ended: Promise<void>;
  /** Binary and text messages the server sent (unfragmented frames only: all this edge sends). */
  messages: Uint8Array[];
}

/**
 * A WebSocket client on a bare TCP socket: a real HTTP upgrade to `/signal`, then whatever bytes the test
 * writes. Server frames are parsed just enough to see messages and the close frame.
 */
export function openRawWebSocket(url: string, path = '/signal'): Promise<RawWebSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => undefined);
    let buffered: Buffer = Buffer.alloc(0);
    let upgraded = false;
    let resolveClose!: (value: { code: number; reason: string } | undefined) => void;
    const closeFrame = new Promise<{ code: number; reason: string } | undefined>((r) => (resolveClose = r));
    const ended = new Promise<void>((r) => socket.once('close', () => r()));
    void ended.then(() => resolveClose(undefined));
    const messages: Uint8Array[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no upgrade response within 10 s'));
    }, 10_000);
    socket.once('close', () => {
      clearTimeout(timer);
      if (!upgraded) reject(new Error(`the connection closed before the upgrade: ${buffered.toString('latin1').slice(0, 200)}`));
    });
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      if (!upgraded) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        clearTimeout(timer);
        buffered = buffered.subarray(end + 4);
        resolve({ socket, write: (bytes) => socket.write(bytes), closeFrame, ended, messages });
      }
      buffered = readServerFrames(buffered, messages, (frame) => {
        resolveClose(frame);
        socket.end();
      });
    });
  });
}

/** Consumes whole server frames from `buffer`; returns what is left of an incomplete one. */
function readServerFrames(buffer: Buffer, messages: Uint8Array[], onClose: (frame: { code: number; reason: string }) => void): Buffer {
  let rest = buffer;
  for (;;) {
    if (rest.byteLength < 2) return rest;
    const opcode = rest[0]! & 0x0f;
    let length = rest[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (rest.byteLength < 4) return rest;
      length = rest.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (rest.byteLength < 10) return rest;
      length = Number(rest.readBigUInt64BE(2));
      offset = 10;
    }
    if (rest.byteLength < offset + length) return rest;
    const payload = rest.subarray(offset, offset + length);
    rest = rest.subarray(offset + length);
    if (opcode === OPCODE.close) {
      onClose({ code: payload.byteLength >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString('utf8') });
    } else if (opcode === OPCODE.binary || opcode === OPCODE.text) {
      messages.push(new Uint8Array(payload));
    }
  }
}
