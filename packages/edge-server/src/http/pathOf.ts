import type { IncomingMessage } from 'node:http';

/** The request's path without its query (which may carry the auth token); '/' for a URL that does not parse. */
export function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://edge').pathname;
  } catch {
    return '/';
  }
}
