import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why a request was refused, as the HTTP status and a body a person can act on. Never contains the token. */
export interface Rejection {
  readonly status: 401 | 403 | 503;
  readonly reason: string;
}

/**
 * Optional bearer token for signaling, /metrics and /status.
 *
 * Where the token may be presented:
 * - `Authorization: Bearer <token>`: for anything that can set headers (curl, Prometheus, Node clients);
 * - `?token=<token>` on the URL: because a browser's WebSocket cannot set headers. The SDK's
 *   `connect(url, { authToken })` uses this. The edge never logs query strings, so the token stays out of
 *   its logs; a reverse proxy in front of it should be told not to log them either.
 *
 * Both sides are hashed to a fixed length before `timingSafeEqual`, which would otherwise throw on (and
 * leak through) a length mismatch.
 */
export class Auth {
  private readonly expected: Buffer | undefined;

  constructor(token: string | undefined) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  get enabled(): boolean {
    return this.expected !== undefined;
  }

  /** undefined when the request may proceed. */
  check(request: IncomingMessage): Rejection | undefined {
    if (this.expected === undefined) return undefined;
    const presented = presentedToken(request);
    if (presented === undefined) {
      return { status: 401, reason: 'this edge requires a token: send "Authorization: Bearer <token>" or add ?token=<token> to the URL' };
    }
    if (!timingSafeEqual(digest(presented), this.expected)) return { status: 401, reason: 'the token is not valid for this edge' };
    return undefined;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function presentedToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (match) return match[1];
  }
  const query = new URL(request.url ?? '/', 'http://edge').searchParams.get('token');
  return query === null || query === '' ? undefined : query;
}
