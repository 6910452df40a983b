import type { Logger } from '../log/Logger.ts';
import type { Session } from '../session/Session.ts';
import type { ClusterMetrics } from './ClusterMetrics.ts';
import type { ClusterRegistry } from './ClusterRegistry.ts';
import type { ClusterRouter } from './ClusterRouter.ts';

export interface EdgeDrainOptions {
  registry: ClusterRegistry;
  router: ClusterRouter;
  metrics: ClusterMetrics;
  log: Logger;
  /** Time each session's accepted work gets to finish before it is snapshotted anyway. */
  waitMs: number;
}

/**
 * Live migration of every session off this edge: the registry entry says draining (no new clients come),
 * then each session is snapshotted into Redis and its client sent to the least loaded other edge, where
 * its resume token restores it. Sessions with no other edge to go to are left to the ordinary shutdown
 * (snapshot, close; their clients reconnect through their edge list).
 */
export class EdgeDrain {
  private readonly options: EdgeDrainOptions;

  constructor(options: EdgeDrainOptions) {
    this.options = options;
  }

  async run(sessions: readonly Session[]): Promise<{ moved: number; failed: number; stayed: number }> {
    const { registry, router, metrics, log, waitMs } = this.options;
    await registry.markDraining();
    let moved = 0;
    let failed = 0;
    let stayed = 0;
    await Promise.all(
      sessions.map(async (session) => {
        const url = router.forMigration();
        if (url === undefined) {
          stayed++;
          return;
        }
        try {
          await session.migrate(url, waitMs);
          metrics.migration('ok');
          moved++;
        } catch (error) {
          metrics.migration('error');
          failed++;
          log.warn('session migration failed', { session: session.id, error: String(error) });
        }
      }),
    );
    log.info('edge drained', { moved, failed, stayed });
    return { moved, failed, stayed };
  }
}
