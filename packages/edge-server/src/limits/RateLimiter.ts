/**
 * Token bucket for one session's inbound messages: `perSecond` tokens refill continuously and the bucket
 * holds one second's worth, so a client may burst briefly (a deploy right after a frame) but not sustain
 * more than its budget. Counting protocol messages, not bytes: byte size is bounded elsewhere, and what
 * costs the edge is mostly per-message work (decode, validate, schedule a sandbox call).
 *
 * With an `overdraft`, refused takes are booked too (down to -overdraft): a caller that keeps on past its
 * budget sinks deeper and is `overdrawn` once it owes that much, which is how a caller tells a brief excess
 * from one that does not stop.
 */
export class RateLimiter {
  private readonly perSecond: number;
  private readonly capacity: number;
  private readonly overdraft: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(perSecond: number, options: { overdraft?: number; now?: () => number } = {}) {
    this.perSecond = perSecond;
    this.capacity = perSecond;
    this.overdraft = options.overdraft ?? 0;
    this.tokens = perSecond;
    this.now = options.now ?? (() => performance.now());
    this.last = this.now();
  }

  get limit(): number {
    return this.perSecond;
  }

  /** True once refused takes have used up the whole overdraft (never without one). */
  get overdrawn(): boolean {
    return this.overdraft > 0 && this.tokens <= -this.overdraft;
  }

  /** Spends one token; false when the budget is used up (the caller answers with RATE_LIMITED). */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (this.overdraft > 0) this.tokens = Math.max(-this.overdraft, this.tokens - 1);
    return false;
  }
}
