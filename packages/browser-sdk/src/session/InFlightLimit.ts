/** How a live pump adapts the number of frames it keeps out at once. */
export interface InFlightAdaptOptions {
  /** The most frames out at once; default 2 (the edge runs a node's frames one at a time, so more only queue). */
  max?: number;
  /** Round trip (send to output) a window's median must be within to grow back; default 150 ms. */
  rttBudgetMs?: number;
  /** Round trips a decision looks at; default 8. */
  window?: number;
}

/** Where the limit stands, for display. */
export interface InFlightStats {
  /** Frames allowed out at once now. */
  limit: number;
  /** False when the app fixed it with `maxInFlight`. */
  adaptive: boolean;
  /** Why it last changed ('start' before any change, 'fixed' when not adaptive). */
  reason: string;
  changes: number;
}

/** Windows of good round trips a grow needs at most, however often growing has backfired. */
const MAX_HOLD_WINDOWS = 8;

/**
 * How many frames a live pump keeps out at once. With one, a frame is only sent once the last came back, so the
 * frame rate is at most 1000 / (round trip + wait for the next capture); a second frame in flight overlaps one
 * frame's trip with the next's (measured: 1.4-1.6x the frames at 640x480 JPEG for ~15 ms more round trip).
 * More frames out also means frames can wait on the edge, so the limit adapts: it starts at its max, shrinks by
 * one at once when the edge drops or skips a frame (frames are waiting there), and grows by one again after a
 * window of round trips whose median is within the budget with none dropped or skipped. A long round trip alone
 * does not shrink it: on a loaded machine it is as long with one frame out, and one frame out then only costs
 * frames. A grow undone before the next window doubles the windows the next grow waits for, so the limit does
 * not flap on an edge that only just keeps up. Deterministic: it sees only what it is told.
 */
export class InFlightLimit {
  private readonly max: number;
  private readonly budgetMs: number;
  private readonly window: number;
  private readonly adaptive: boolean;
  private readonly samples: number[] = [];
  private current: number;
  private goodWindows = 0;
  private holdWindows = 1;
  /** The last change was a grow with no full window after it yet. */
  private justGrew = false;
  private lastReason: string;
  private changeCount = 0;

  /** A limit the app chose: it never changes. */
  static fixed(maxInFlight: number): InFlightLimit {
    return new InFlightLimit({ max: maxInFlight }, false);
  }

  constructor(options: InFlightAdaptOptions = {}, adaptive = true) {
    this.max = Math.max(1, Math.floor(options.max ?? 2));
    this.budgetMs = options.rttBudgetMs ?? 150;
    this.window = Math.max(2, Math.floor(options.window ?? 8));
    this.adaptive = adaptive;
    this.current = this.max;
    this.lastReason = adaptive ? 'start' : 'fixed';
  }

  get limit(): number {
    return this.current;
  }

  /** One frame's round trip, send to output. */
  observe(roundTripMs: number): void {
    if (!this.adaptive) return;
    this.samples.push(roundTripMs);
    if (this.samples.length < this.window) return;
    const median = [...this.samples].sort((a, b) => a - b)[Math.floor(this.samples.length / 2)]!;
    this.samples.length = 0;
    const shown = Math.round(median);
    this.justGrew = false;
    if (median > this.budgetMs) {
      this.goodWindows = 0;
      return;
    }
    if (++this.goodWindows >= this.holdWindows && this.current < this.max) {
      this.goodWindows = 0;
      this.current++;
      this.justGrew = true;
      this.changed(`up to ${this.current}: round trip median ${shown} ms within the ${this.budgetMs} ms budget`);
    }
  }

  /** The edge dropped or skipped one of our frames (`cause` says which): frames are waiting there, send fewer. */
  congested(cause: string): void {
    if (!this.adaptive) return;
    this.samples.length = 0;
    this.goodWindows = 0;
    if (this.current > 1) this.shrink(cause);
  }

  stats(): InFlightStats {
    return { limit: this.current, adaptive: this.adaptive, reason: this.lastReason, changes: this.changeCount };
  }

  private shrink(reason: string): void {
    if (this.justGrew) this.holdWindows = Math.min(MAX_HOLD_WINDOWS, this.holdWindows * 2);
    this.justGrew = false;
    this.current--;
    this.changed(`down to ${this.current}: ${reason}`);
  }

  private changed(reason: string): void {
    this.lastReason = reason;
    this.changeCount++;
  }
}
