/** Before this much time has passed the rate is mostly start-up (the first remote calls, the transport warming up). */
const SETTLE_MS = 1000;
/** The rate is taken over about this much recent time, so a slow start or a change of pace stops counting soon. */
const WINDOW_MS = 5000;
/** Samples are kept at most this often: enough for the window, bounded at WINDOW_MS / SAMPLE_MS + 2. */
const SAMPLE_MS = 200;

/** Time left at the recent rate, from (time, items done) samples. */
export class TimeLeftEstimator {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly total: number) {}

  /** Records that `done` items were done at `now` (ms); returns the ms left, or undefined while unknown. */
  update(done: number, now: number): number | undefined {
    const last = this.samples[this.samples.length - 1];
    if (last === undefined || now - last.at >= SAMPLE_MS) this.samples.push({ at: now, done });
    // Drop the oldest sample only while the next one still spans the whole window.
    while (this.samples.length > 2 && now - this.samples[1]!.at >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    if (done >= this.total || done <= first.done || now - first.at < SETTLE_MS) return undefined;
    return ((now - first.at) / (done - first.done)) * (this.total - done);
  }
}
