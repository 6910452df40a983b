/** Half-life of the recent busy time: a steadily hot worker shows, a burst that is over is forgotten within a second or two. */
const HALF_LIFE_MS = 500;

/**
 * How busy a worker has been lately with its nodes' calls: their time, decayed exponentially (half-life 0.5 s), as
 * a share of one core; a call still running counts for the time it has run so far. Creations and other one-off
 * requests count only in the total (the busy-seconds metric): they say nothing of the load to come, and a slow
 * first creation on a fresh worker would otherwise steer placement. Times are the worker's own, wall clock.
 */
export class BusyMeter {
  private decayedMs = 0;
  private at = 0;
  private totalMs = 0;

  get totalSeconds(): number {
    return this.totalMs / 1000;
  }

  add(ms: number, now: number, isCall: boolean): void {
    this.totalMs += ms;
    if (!isCall) return;
    this.decayedMs = this.decayedAt(now) + ms;
    this.at = now;
  }

  /** Recent busy share of one core, 0 to 1; `runningMs` is how long the current request has run. */
  share(now: number, runningMs = 0): number {
    // A constantly busy worker converges to HALF_LIFE_MS / ln 2 of decayed time.
    return Math.min(1, ((this.decayedAt(now) + runningMs) * Math.LN2) / HALF_LIFE_MS);
  }

  private decayedAt(now: number): number {
    return now <= this.at ? this.decayedMs : this.decayedMs * 2 ** (-(now - this.at) / HALF_LIFE_MS);
  }
}
