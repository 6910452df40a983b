import type { Duplex } from 'node:stream';

/**
 * The edge's 'clientError' handler: a request that could not be parsed, or whose headers or body did not
 * arrive within the server's timeouts (a slowloris trickler), gets a minimal HTTP answer when nothing has
 * been written on its socket yet, and the socket is destroyed either way so it holds nothing.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const untouched = socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0;
  if (untouched) socket.write(STATUS_LINES[error.code ?? ''] ?? STATUS_LINES.default);
  socket.destroy();
}

const STATUS_LINES: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
  HPE_HEADER_OVERFLOW: 'HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
  default: 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
};
