import { WebSocket } from 'ws';

/** What one WebSocket handshake with the edge's signaling URL showed. */
export type SignalingProbe =
  /** Nothing answered: the socket error's code (ECONNREFUSED, ENOTFOUND, ...) and message. */
  | { readonly kind: 'unreachable'; readonly code: string | undefined; readonly message: string }
  /** An HTTP server answered but did not upgrade: its status and the start of its body (the edge's reason). */
  | { readonly kind: 'refused'; readonly status: number; readonly reason: string }
  | { readonly kind: 'accepted' };

/** Enough for the edge's one-sentence reasons; a body from something else is not read further. */
const MAX_REASON_BYTES = 512;

/**
 * Opens and at once closes a WebSocket to `url`, to tell why a connection failed: the SDK's error says only
 * that it did. Always resolves, within `timeoutMs`.
 */
export function probeSignaling(url: string, timeoutMs: number): Promise<SignalingProbe> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const done = (probe: SignalingProbe): void => {
      resolve(probe);
      socket.terminate();
    };
    socket.once('open', () => done({ kind: 'accepted' }));
    // With this listener ws leaves the response to us instead of raising an error for it.
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      const finish = (): void => done({ kind: 'refused', status: response.statusCode ?? 0, reason: body.trim().slice(0, MAX_REASON_BYTES) });
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length >= MAX_REASON_BYTES) {
          request.destroy();
          finish();
        }
      });
      response.once('end', finish);
      response.once('error', finish);
      request.once('error', finish);
    });
    socket.on('error', (error: Error & { code?: string }) => done({ kind: 'unreachable', code: error.code, message: error.message }));
  });
}
