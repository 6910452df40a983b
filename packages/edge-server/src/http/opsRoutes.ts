import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../security/Auth.ts';

/** What the operational endpoints read from the edge. */
export interface OpsSource {
  auth: Auth;
  /** Whether a new session would be accepted now, and if not, why. */
  readiness(): { ready: true } | { ready: false; reason: string };
  status(): Promise<unknown>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Cluster mode: moves every session to other edges (live migration); undefined on an edge on its own. */
  drain?(): Promise<unknown>;
}

/**
 * /healthz, /readyz, /status, /metrics and (cluster mode) POST /drain. Health and readiness stay open (load balancers and orchestrators
 * probe them without credentials, and they reveal nothing); /status and /metrics list sessions, node names
 * and packages, so they need the token when one is set. Returns false for any other path.
 */
export async function handleOpsRoute(pathname: string, request: IncomingMessage, response: ServerResponse, source: OpsSource): Promise<boolean> {
  switch (pathname) {
    case '/healthz':
      // Alive: the event loop answers. Says nothing about capacity, which is /readyz's job.
      json(response, 200, { ok: true });
      return true;
    case '/readyz': {
      const readiness = source.readiness();
      json(response, readiness.ready ? 200 : 503, readiness);
      return true;
    }
    case '/status':
    case '/metrics': {
      if (refusedAuth(request, response, source.auth)) return true;
      if (pathname === '/status') {
        json(response, 200, await source.status());
      } else {
        const { contentType, body } = await source.metrics();
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      }
      return true;
    }
    case '/drain': {
      if (request.method !== 'POST') {
        response.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' }).end('POST /drain\n');
        return true;
      }
      if (refusedAuth(request, response, source.auth)) return true;
      // Without a token anyone who reaches the port could empty the edge: then only this machine may.
      if (!source.auth.enabled && !isLoopback(request.socket.remoteAddress)) {
        response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('set an auth token to drain this edge from another machine\n');
        return true;
      }
      if (source.drain === undefined) {
        response
          .writeHead(409, { 'content-type': 'text/plain; charset=utf-8' })
          .end('this edge is not in cluster mode (no --redis): there is nowhere to move its sessions\n');
        return true;
      }
      json(response, 200, await source.drain());
      return true;
    }
    default:
      return false;
  }
}

/** Answers 401/403 and returns true when the request lacks the edge's token (when it has one). */
function refusedAuth(request: IncomingMessage, response: ServerResponse, auth: Auth): boolean {
  const rejection = auth.check(request);
  if (rejection === undefined) return false;
  response.writeHead(rejection.status, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' }).end(`${rejection.reason}\n`);
  return true;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}
