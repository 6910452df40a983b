/** How often persistent nodes are snapshotted: a crash loses at most this much of their state. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 30_000;

/** A session as the scheduler sees it. */
export interface SnapshotSource {
  readonly isClosing: boolean;
  /** Writes every persistent node's state; failures are the session's to log. */
  snapshotPersistent(trigger: 'interval'): Promise<unknown>;
}

export interface SnapshotSchedulerOptions {
  /** 0: no interval snapshots (persistent nodes are still written on save, expiry and shutdown). */
  intervalMs: number;
  sessions(): readonly SnapshotSource[];
  /** Whether the edge is up: no snapshots while it is starting or shutting down (shutdown writes its own). */
  active(): boolean;
}

/**
 * Snapshots every persistent node of every open session on an interval. A tick that finds the previous one
 * still writing is skipped, so a slow disk cannot pile up overlapping snapshots.
 */
export class SnapshotScheduler {
  private readonly options: SnapshotSchedulerOptions;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(options: SnapshotSchedulerOptions) {
    this.options = options;
  }

  start(): void {
    if (this.options.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    // The timer alone does not keep the process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.running || !this.options.active()) return;
    this.running = true;
    try {
      const open = this.options.sessions().filter((session) => !session.isClosing);
      await Promise.allSettled(open.map((session) => session.snapshotPersistent('interval')));
    } finally {
      this.running = false;
    }
  }
}
