import type { CommandIo } from '../Command.ts';
import { TimeLeftEstimator } from './TimeLeftEstimator.ts';
import { progressLine, renderProgressBar } from './formatProgress.ts';

/** `bar`: redrawn in place on a terminal; `lines`: a line per 10% for logs and pipes; `off`: --quiet. */
export type ProgressStyle = 'bar' | 'lines' | 'off';

/** At most ten redraws a second: more only costs the terminal time and flickers. */
const REDRAW_MS = 100;

/**
 * How far `run` has read its input, on stderr (stdout keeps only the result line). Counts items as the pipeline
 * pulls them: its queues are bounded, so the count runs at most a few queue capacities ahead of the output.
 */
export class RunProgress {
  private done = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private lastDecile = 0;
  private drawn = false;
  /**
   * Fed from the first item the pipeline takes, so the time spent connecting to the edge and creating nodes
   * (seconds, with WebRTC) does not count as time per item.
   */
  private readonly timeLeft: TimeLeftEstimator;

  constructor(
    private readonly total: number,
    private readonly unit: string,
    private readonly style: ProgressStyle,
    private readonly io: CommandIo,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timeLeft = new TimeLeftEstimator(total);
  }

  /** Yields `items`, counting each as the pipeline takes it. */
  *track<T>(items: Iterable<T>): Generator<T> {
    for (const item of items) {
      this.advance();
      yield item;
    }
  }

  /** Clears the bar, so what follows (the result, or an error) starts on a clean line. */
  finish(): void {
    if (this.drawn) this.io.err('\r\x1b[K');
    this.drawn = false;
  }

  private advance(): void {
    this.done++;
    if (this.style === 'off' || this.total === 0) return;
    const now = this.now();
    const state = { done: this.done, total: this.total, unit: this.unit, timeLeftMs: this.timeLeft.update(this.done, now) };
    if (this.style === 'lines') {
      const decile = Math.floor((this.done * 10) / this.total);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.io.err(`remotemedia-edge run: ${progressLine(state)}\n`);
      }
      return;
    }
    if (this.done < this.total && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    // \x1b[K erases what a longer previous line left to the right.
    this.io.err(`\r${renderProgressBar(state, this.io.errColumns() ?? 80)}\x1b[K`);
  }
}
