import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** The socket closed (by the server, or because the connection failed) and how. */
export interface RawOutcome {
  upgraded: boolean;
  /** HTTP status of a refused upgrade, when there was one. */
  status?: number;
  /** Connection-level error code (ECONNREFUSED once the edge is gone). */
  error?: string;
}

/**
 * For the bench, which must survive an edge that dies: frames (built with tests/support/rawWebSocket.ts's
 * wsFrame) are written after a real upgrade, and the outcome (refused, reset, closed) is returned, never thrown.
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
