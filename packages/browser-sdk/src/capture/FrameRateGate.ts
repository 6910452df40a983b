/**
 * Thins a frame stream to at most `fps` frames per second by timestamp. Cameras often ignore a frameRate
 * constraint (the fake one always runs at 20 or 30), so the cap is enforced here as well.
 */
export class FrameRateGate {
  private readonly intervalMs: number;
  private nextDueMs = Number.NEGATIVE_INFINITY;

  constructor(fps: number | undefined) {
    if (fps !== undefined && !(fps > 0)) throw new RangeError(`fps must be a positive number, got ${fps}`);
    this.intervalMs = fps === undefined ? 0 : 1000 / fps;
  }

  /** True when a frame captured at `timestampMs` should be kept. */
  admit(timestampMs: number): boolean {
    if (this.intervalMs === 0) return true;
    // A fifth of an interval of slack: timer-driven sources fire a little early now and then, and rejecting
    // those would halve the rate.
    if (timestampMs < this.nextDueMs - this.intervalMs * 0.2) return false;
    // Schedule from the ideal grid, not from this frame, so jitter does not lower the rate; resync after a gap.
    this.nextDueMs = Math.max(this.nextDueMs + this.intervalMs, timestampMs + this.intervalMs * 0.5);
    return true;
  }
}
