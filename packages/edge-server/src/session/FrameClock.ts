/** Arrivals the clock check looks back over: a few seconds of video. */
const WINDOW = 64;

/**
 * How old a client's frame is, judged on the edge. A frame carries `capturedAt`: the client's capture time on
 * the edge's clock as the client estimates it (its clock plus the offset it measured). The estimate can be
 * wrong (a client that never measured, a clock that jumped), and a wrong clock must not make the edge skip
 * every frame as too old, nor silently.
 *
 * So the edge also watches the clocks itself: each arrival's skew (arrival time minus `capturedAt`) is the path's
 * one-way delay plus the clock error, and the smallest skew of the last WINDOW arrivals (the floor) bounds
 * that error. While the floor is within half the deadline the client's clock is trusted as is. Beyond it, ages
 * are measured from the floor instead (a frame as fast as the fastest recent one is age 0), so the frame that
 * set the floor is at most half a deadline old on arrival, and never every frame is skipped on arrival. The
 * cost: over a path whose one-way delay alone exceeds half the deadline, only the delay above the fastest
 * recent frame counts.
 */
export class FrameClock {
  private readonly skews = new Float64Array(WINDOW);
  private count = 0;
  private next = 0;
  private floorMs = 0;

  /** Records a frame's arrival (edge clock, ms since the epoch) and returns its age then under `deadlineMs`. */
  arrived(capturedAt: number, now: number, deadlineMs: number): number {
    this.skews[this.next] = now - capturedAt;
    this.next = (this.next + 1) % WINDOW;
    this.count = Math.min(this.count + 1, WINDOW);
    let floor = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.count; i++) floor = Math.min(floor, this.skews[i]!);
    this.floorMs = floor;
    return this.age(capturedAt, now, deadlineMs);
  }

  /** The age of a frame captured at `capturedAt` at `now`, correcting the client's clock when it is off. */
  age(capturedAt: number, now: number, deadlineMs: number): number {
    return now - capturedAt - this.correction(deadlineMs);
  }

  /** The clock error assumed for `deadlineMs`: none while the floor is within half of it. */
  correction(deadlineMs: number): number {
    return Math.abs(this.floorMs) > deadlineMs / 2 ? this.floorMs : 0;
  }
}
