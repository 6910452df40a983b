/** Half-life of the recent busy time: long enough to see a hot worker, short enough to forget a burst. */
const HALF_LIFE_MS = 2000;

/**
 * How busy a worker has been lately: the time it spent on requests, decayed exponentially (half-life 2 s), as a
 * share of one core. A request still running counts for the time it has run so far. Also keeps the total, for
 * the busy-seconds metric.
 */
export class BusyMeter {
  private decayedMs = 0;
  private at = 0;
  private totalMs = 0;

  get totalSeconds(): number {
    return this.totalMs / 1000;
  }

  add(ms: number, now: number): void {
    this.decayedMs = this.decayedAt(now) + ms;
    this.at = now;
    this.totalMs += ms;
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
