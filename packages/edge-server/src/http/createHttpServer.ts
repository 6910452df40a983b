import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import { answerClientError } from './answerClientError.ts';
import { pathOf } from './pathOf.ts';

/** Loopback: the edge is reachable from other machines only when configured to be. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
/** Time an HTTP client has to send its request headers; a slowloris trickler is cut off after it. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Time an HTTP client has to send its whole request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive HTTP connections are closed after this. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

export interface HttpServerOptions {
  /** At most requestTimeoutMs: Node refuses a header deadline past the whole request's. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Answers one request; a request it throws on gets a 500. */
  route(request: IncomingMessage, response: ServerResponse): Promise<void>;
  metrics: EdgeMetrics;
  log: Logger;
}

/**
 * The edge's HTTP server, not yet listening: deadlines for slow clients, a 500 for a handler that fails, and
 * a minimal answer (then a destroyed socket) for a request that cannot be parsed or did not arrive in time.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { headersTimeoutMs, requestTimeoutMs, route, metrics, log } = options;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // Node checks both timeouts only this often (30 s by default): a trickler would outlive its deadline.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
    },
    (request, response) => {
      route(request, response).catch((error: unknown) => {
        // The path only: a query string may carry the auth token.
        log.error('http handler failed', { path: pathOf(request), error: String(error) });
        if (!response.headersSent) response.writeHead(500).end('internal error');
      });
    },
  );
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    metrics.connectionCutOff('http_client_error');
    log.debug('http client error', { code: error.code });
    answerClientError(error, socket);
  });
  return server;
}
