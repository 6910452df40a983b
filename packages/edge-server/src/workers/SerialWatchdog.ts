import { PendingRequests } from '@remotemedia/shared';

/** How often deadlines are checked; a request overruns by at most this much before it is noticed. */
const TICK_MS = 50;

interface Deadline<R> {
  readonly request: R;
  readonly budgetMs: number;
  /** When the worker reached it; unset while it waits behind others (or for the worker to start). */
  startedAt: number | undefined;
}

/** A request still waiting for its reply, as the owner gets it back. */
export interface WatchedRequest<R> {
  readonly id: number;
  readonly request: R;
}

/**
 * The requests of a worker thread that serves them strictly one at a time in arrival order: matched to their
 * replies by id (shared's PendingRequests) and timed. The oldest unsettled request is the one running, so
 * only it is timed, from when the worker reached it. Code stuck in a loop cannot be interrupted from outside
 * its thread, so on an overrun the owner terminates the worker; this class only notices.
 */
export class SerialWatchdog<R> {
  private readonly pending = new PendingRequests<number, unknown, Deadline<R>>();
  private readonly timer: NodeJS.Timeout;
  private ready = false;

  /** `onOverrun` is told about the running request once it is past its budget (again each tick until stopped). */
  constructor(private readonly onOverrun: (running: WatchedRequest<R>, elapsedMs: number, budgetMs: number) => void) {
    this.timer = setInterval(() => this.check(), TICK_MS);
    this.timer.unref();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Waits for request `id`'s reply; once the worker reaches it, it has `budgetMs` to answer. */
  add(id: number, request: R, budgetMs: number): Promise<unknown> {
    const startedAt = this.ready && this.pending.size === 0 ? Date.now() : undefined;
    return this.pending.wait(id, { meta: { request, budgetMs, startedAt } });
  }

  /** The worker can serve requests now: the clock of the first one starts. */
  markReady(): void {
    this.ready = true;
    this.startHead();
  }

  /** Request `id` is answered (by the worker, or by the owner instead); the next request's clock starts. */
  resolve(id: number, value: unknown): void {
    this.pending.resolve(id, value);
    this.startHead();
  }

  reject(id: number, error: unknown): void {
    this.pending.reject(id, error);
    this.startHead();
  }

  /** The request the worker is running now, if any. */
  running(): WatchedRequest<R> | undefined {
    const head = this.pending.oldest();
    return head === undefined || head.meta.startedAt === undefined ? undefined : { id: head.key, request: head.meta.request };
  }

  /**
   * Stops watching (the worker is gone) and lists every unsettled request, oldest first. They keep waiting:
   * the owner settles each, with an answer from elsewhere or an error.
   */
  stop(): WatchedRequest<R>[] {
    clearInterval(this.timer);
    return this.pending.entries().map(({ key, meta }) => ({ id: key, request: meta.request }));
  }

  /** Stops watching and fails every unsettled request with `error`. */
  rejectAll(error: unknown): void {
    clearInterval(this.timer);
    this.pending.rejectAll(error);
  }

  private startHead(): void {
    const head = this.pending.oldest();
    if (this.ready && head !== undefined && head.meta.startedAt === undefined) head.meta.startedAt = Date.now();
  }

  private check(): void {
    const head = this.pending.oldest();
    if (head === undefined || head.meta.startedAt === undefined) return;
    const elapsed = Date.now() - head.meta.startedAt;
    if (elapsed > head.meta.budgetMs) this.onOverrun({ id: head.key, request: head.meta.request }, elapsed, head.meta.budgetMs);
  }
}
