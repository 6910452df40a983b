import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth } from '../security/Auth.ts';

/** What the operational endpoints read from the edge. */
export interface OpsSource {
  auth: Auth;
  /** Whether a new session would be accepted now, and if not, why. */
  readiness(): { ready: true } | { ready: false; reason: string };
  status(): Promise<unknown>;
  metrics(): Promise<{ contentType: string; body: string }>;
}

/**
 * /healthz, /readyz, /status and /metrics. Health and readiness stay open (load balancers and orchestrators
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
      const rejection = source.auth.check(request);
      if (rejection !== undefined) {
        response
          .writeHead(rejection.status, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
          .end(`${rejection.reason}\n`);
        return true;
      }
      if (pathname === '/status') {
        json(response, 200, await source.status());
      } else {
        const { contentType, body } = await source.metrics();
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      }
      return true;
    }
    default:
      return false;
  }
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}
