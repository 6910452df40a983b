/**
 * Token bucket for one session's inbound messages: `perSecond` tokens refill continuously and the bucket
 * holds one second's worth, so a client may burst briefly (a deploy right after a frame) but not sustain
 * more than its budget. Counting protocol messages, not bytes: byte size is bounded elsewhere, and what
 * costs the edge is mostly per-message work (decode, validate, schedule a sandbox call).
 */
export class RateLimiter {
  private readonly perSecond: number;
  private readonly capacity: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;

  constructor(perSecond: number, now: () => number = () => performance.now()) {
    this.perSecond = perSecond;
    this.capacity = perSecond;
    this.tokens = perSecond;
    this.now = now;
    this.last = now();
  }

  get limit(): number {
    return this.perSecond;
  }

  /** Spends one token; false when the budget is used up (the caller answers with RATE_LIMITED). */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
