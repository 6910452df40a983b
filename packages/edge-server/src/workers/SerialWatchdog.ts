/** How often deadlines are checked; a request overruns by at most this much before it is noticed. */
const TICK_MS = 50;

interface Entry<T> {
  readonly value: T;
  readonly budgetMs: number;
  /** When the worker reached it; unset while it waits behind others (or for the worker to start). */
  startedAt: number | undefined;
}

/**
 * Deadlines for a worker thread that serves requests strictly one at a time in arrival order: the oldest
 * unsettled request is the one running, so only it is timed, from when the worker reached it. Code stuck in a
 * loop cannot be interrupted from outside its thread, so on an overrun the owner terminates the worker; this
 * class only notices. It also holds the requests in flight, so the owner has one map, not two.
 */
export class SerialWatchdog<T> {
  private readonly entries = new Map<number, Entry<T>>();
  private readonly timer: NodeJS.Timeout;
  private ready = false;

  /** `onOverrun` is told once per overrun, about the running request. */
  constructor(private readonly onOverrun: (value: T, elapsedMs: number, budgetMs: number) => void) {
    this.timer = setInterval(() => this.check(), TICK_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  add(id: number, value: T, budgetMs: number): void {
    this.entries.set(id, { value, budgetMs, startedAt: this.ready && this.entries.size === 0 ? Date.now() : undefined });
  }

  /** The worker can serve requests now: the clock of the first one starts. */
  markReady(): void {
    this.ready = true;
    this.startHead();
  }

  /** The worker answered `id`: returns what was stored for it, and starts the next request's clock. */
  settle(id: number): T | undefined {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    this.startHead();
    return entry?.value;
  }

  /** The request the worker is running now, if any. */
  running(): T | undefined {
    const head = this.entries.values().next();
    return head.done || head.value.startedAt === undefined ? undefined : head.value.value;
  }

  /** Stops watching and hands back every unsettled request, oldest first. */
  drain(): T[] {
    clearInterval(this.timer);
    const values = [...this.entries.values()].map((entry) => entry.value);
    this.entries.clear();
    return values;
  }

  private startHead(): void {
    const head = this.entries.values().next();
    if (this.ready && !head.done && head.value.startedAt === undefined) head.value.startedAt = Date.now();
  }

  private check(): void {
    const head = this.entries.values().next();
    if (head.done || head.value.startedAt === undefined) return;
    const elapsed = Date.now() - head.value.startedAt;
    if (elapsed > head.value.budgetMs) this.onOverrun(head.value.value, elapsed, head.value.budgetMs);
  }
}
