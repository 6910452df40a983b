import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster/Cluster.ts';
import type { EdgePhase } from '../lifecycle/EdgePhase.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { SandboxPool } from '../sandbox/index.ts';
import type { Auth } from '../security/Auth.ts';
import type { PackageCache } from '../session/PackageCache.ts';
import type { SessionRegistry } from '../session/SessionRegistry.ts';
import { handleOpsRoute } from './opsRoutes.ts';
import { pathOf } from './pathOf.ts';
import { StaticFiles } from './StaticFiles.ts';
import { statusReport } from './statusReport.ts';

export interface EdgeRouterOptions {
  auth: Auth;
  /** Directory with the built demo page; unset: no static files. */
  staticDir: string | undefined;
  /** Directory with the SDK's browser bundles, served at /sdk/ to any origin; unset: none. */
  sdkDir: string | undefined;
  phase(): EdgePhase;
  registry: SessionRegistry;
  packages: PackageCache;
  pool: SandboxPool;
  metrics: EdgeMetrics;
  maxSessions: number;
  /** Epoch ms the edge started, for /status's uptime. */
  startedAt: number;
  /** Cluster mode: its readiness (Redis reachable) and its /status section. */
  cluster?: Pick<Cluster, 'readiness' | 'status'>;
  /** Cluster mode: POST /drain moves every session to other edges. */
  drain?(): Promise<unknown>;
}

/** Every plain HTTP request: the operational endpoints (opsRoutes.ts), then the SDK bundles and the demo's static files, then 404. */
export class EdgeRouter {
  private readonly options: EdgeRouterOptions;
  private readonly files: StaticFiles[];

  constructor(options: EdgeRouterOptions) {
    this.options = options;
    this.files = [
      ...(options.sdkDir ? [new StaticFiles(options.sdkDir, { prefix: '/sdk/', anyOrigin: true })] : []),
      ...(options.staticDir ? [new StaticFiles(options.staticDir)] : []),
    ];
  }

  async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { auth, registry, packages, pool, metrics, maxSessions, startedAt } = this.options;
    const pathname = pathOf(request);
    const handled = await handleOpsRoute(pathname, request, response, {
      auth,
      readiness: () => this.readiness(),
      status: async () => ({
        ...(await statusReport({ startedAt, phase: this.options.phase(), registry, packages, pool, maxSessions })),
        ...(this.options.cluster !== undefined ? { cluster: this.options.cluster.status() } : {}),
      }),
      metrics: () => metrics.text(),
      drain: this.options.drain,
    });
    if (handled) return;
    if (request.method === 'GET' || request.method === 'HEAD') {
      for (const files of this.files) if (await files.serve(request, response, pathname)) return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  /** Whether a new session would be accepted now, and if not, why (/readyz). */
  private readiness(): { ready: true } | { ready: false; reason: string } {
    const phase = this.options.phase();
    if (phase === 'starting') return { ready: false, reason: 'starting' };
    if (phase === 'closing') return { ready: false, reason: 'shutting down' };
    if (this.options.registry.full) return { ready: false, reason: `at maxSessions (${this.options.maxSessions})` };
    return this.options.cluster?.readiness() ?? { ready: true };
  }
}
