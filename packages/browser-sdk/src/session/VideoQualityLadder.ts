/** One step of the ladder: JPEG quality first, then resolution. */
export interface VideoQualityLevel {
  readonly quality: number;
  /** Fraction of the captured width and height that is encoded. */
  readonly scale: number;
}

export interface VideoAdaptOptions {
  /** Round trip (encode, network, edge, decode) a frame should stay under; default 100 ms. */
  rttBudgetMs?: number;
  /** Frames a decision looks at; default 8. */
  window?: number;
}

/** Where the adaptation stands, for `session.stats().video`. */
export interface VideoAdaptStats {
  /** 0 is the best quality; higher levels are cheaper. */
  level: number;
  levels: number;
  quality: number;
  scale: number;
  /** Why the level last changed ('start' before any change). */
  reason: string;
  changes: number;
}

/**
 * Steps video quality down when the round trip stays over its budget and back up when there is headroom.
 * Hysteresis: a step needs a full window of frames at the current level, going down when their median is over
 * the budget, going up only when it is under half of it, so the level does not flap around the budget.
 */
export class VideoQualityLadder {
  private readonly levels: readonly VideoQualityLevel[];
  private readonly budgetMs: number;
  private readonly window: number;
  private readonly samples: number[] = [];
  private current = 0;
  private lastReason = 'start';
  private changeCount = 0;

  constructor(startQuality: number, options: VideoAdaptOptions = {}) {
    this.budgetMs = options.rttBudgetMs ?? 100;
    this.window = Math.max(2, options.window ?? 8);
    const q = startQuality;
    this.levels = [
      { quality: q, scale: 1 },
      { quality: Math.min(q, 0.6), scale: 1 },
      { quality: Math.min(q, 0.4), scale: 1 },
      { quality: Math.min(q, 0.4), scale: 0.5 },
      { quality: Math.min(q, 0.3), scale: 0.5 },
    ];
  }

  get level(): VideoQualityLevel {
    return this.levels[this.current]!;
  }

  /** One frame's round trip at the current level. */
  observe(roundTripMs: number): void {
    this.samples.push(roundTripMs);
    if (this.samples.length < this.window) return;
    const median = [...this.samples].sort((a, b) => a - b)[Math.floor(this.samples.length / 2)]!;
    this.samples.length = 0;
    const shown = Math.round(median);
    if (median > this.budgetMs && this.current < this.levels.length - 1) {
      this.step(+1, `round trip median ${shown} ms over the ${this.budgetMs} ms budget`);
    } else if (median < this.budgetMs / 2 && this.current > 0) {
      this.step(-1, `round trip median ${shown} ms under half the ${this.budgetMs} ms budget`);
    }
  }

  stats(): VideoAdaptStats {
    const { quality, scale } = this.level;
    return { level: this.current, levels: this.levels.length, quality, scale, reason: this.lastReason, changes: this.changeCount };
  }

  private step(direction: 1 | -1, reason: string): void {
    this.current += direction;
    this.lastReason = `${direction > 0 ? 'down' : 'up'} to level ${this.current}: ${reason}`;
    this.changeCount++;
  }
}
