import type { IncomingMessage } from 'node:http';
import type { Rejection } from './Auth.ts';

/**
 * Which web pages may open a session. Browsers always send `Origin` on a WebSocket handshake and a page
 * cannot forge it, so the allow-list stops other sites from using a visitor's browser to reach the edge.
 * A request without `Origin` comes from a non-browser client (which could send any Origin it liked); those
 * are let through here and are what the bearer token is for.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(allowedOrigins.map(normalize));
  }

  check(request: IncomingMessage): Rejection | undefined {
    if (this.allowed.size === 0) return undefined;
    const origin = request.headers.origin;
    if (origin === undefined) return undefined;
    if (this.allowed.has(normalize(origin))) return undefined;
    return { status: 403, reason: `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to connect to this edge` };
  }
}

/** `https://Example.com:443/` and `https://example.com` are the same origin. */
function normalize(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin.trim().toLowerCase();
  }
}
