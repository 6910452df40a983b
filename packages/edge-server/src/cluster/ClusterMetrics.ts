import { Counter, type Registry } from 'prom-client';

/** Where a client was sent: to a less loaded edge at connect, or away from a draining one. */
export type RedirectReason = 'least_loaded' | 'draining';

/** Cluster counters, registered in the edge's own metrics registry so /metrics shows them beside the rest. */
export class ClusterMetrics {
  private readonly redirects: Counter<'reason'>;
  private readonly migrations: Counter<'result'>;
  private readonly resumes: Counter;
  private readonly redisErrors: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.redirects = new Counter({
      name: 'remotemedia_cluster_redirects_total',
      help: 'Clients this edge sent to another edge of the cluster, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.migrations = new Counter({
      name: 'remotemedia_cluster_migrations_total',
      help: 'Sessions this edge moved to another edge while draining, by result',
      labelNames: ['result'],
      registers,
    });
    this.resumes = new Counter({
      name: 'remotemedia_cluster_resumes_total',
      help: 'Sessions rebuilt on this edge from the cluster store (their edge died, drained, or let them expire)',
      registers,
    });
    this.redisErrors = new Counter({
      name: 'remotemedia_cluster_redis_errors_total',
      help: 'Failed Redis commands and connection attempts',
      registers,
    });
  }

  redirect(reason: RedirectReason): void {
    this.redirects.inc({ reason });
  }

  migration(result: 'ok' | 'error'): void {
    this.migrations.inc({ result });
  }

  resume(): void {
    this.resumes.inc();
  }

  redisError(): void {
    this.redisErrors.inc();
  }
}
