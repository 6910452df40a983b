import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

export interface WaitOptions<M> {
  /** Reject with TIMEOUT (retryable) after this long; no timeout when omitted or not positive. */
  timeoutMs?: number;
  /** What the request is, for the timeout's message (`"call" request got no answer within 500 ms`). */
  what?: string;
  /** Caller data kept with the request (who asked, when it started), readable until it settles. */
  meta?: M;
}

interface Pending<T, M> {
  resolve(value: T): void;
  reject(error: unknown): void;
  timer: unknown;
  meta: M;
}

/**
 * Requests waiting for their reply, keyed by id (a number or a string), each with an optional timeout;
 * `rejectAll` fails every one at once when the connection or worker behind them is gone. Settling an id
 * that is not pending (already settled, timed out, never sent) is a no-op that returns false. Iteration
 * is in the order the waits began, so the oldest pending request is the first.
 */
export class PendingRequests<K extends string | number, T, M = undefined> {
  private readonly pending = new Map<K, Pending<T, M>>();

  get size(): number {
    return this.pending.size;
  }

  has(key: K): boolean {
    return this.pending.has(key);
  }

  /** Starts waiting for `key`'s reply. Waiting twice on a pending key is a caller bug and throws. */
  wait(key: K, options: WaitOptions<M> = {}): Promise<T> {
    if (this.pending.has(key)) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `request ${String(key)} is already waiting for its reply`);
    }
    const { timeoutMs, what = `request ${String(key)}` } = options;
    const promise = new Promise<T>((resolve, reject) => {
      const entry: Pending<T, M> = { resolve, reject, timer: undefined, meta: options.meta as M };
      if (timeoutMs !== undefined && timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          this.pending.delete(key);
          reject(new RemoteMediaError(ErrorCode.Timeout, `${what} got no answer within ${timeoutMs} ms`, { retryable: true }));
        }, timeoutMs);
      }
      this.pending.set(key, entry);
    });
    // A caller that gave up early (its send failed) no longer awaits this; its later rejection is expected,
    // not an unhandled error. Callers that do await it still see the rejection.
    promise.catch(() => undefined);
    return promise;
  }

  /** The caller data of a pending request. */
  meta(key: K): M | undefined {
    return this.pending.get(key)?.meta;
  }

  /** The oldest pending request, e.g. the one a worker that runs requests in order is running now. */
  oldest(): { key: K; meta: M } | undefined {
    for (const [key, entry] of this.pending) return { key, meta: entry.meta };
    return undefined;
  }

  /** Every pending request, oldest first; a copy, so settling them while walking it is safe. */
  entries(): Array<{ key: K; meta: M }> {
    return [...this.pending].map(([key, entry]) => ({ key, meta: entry.meta }));
  }

  resolve(key: K, value: T): boolean {
    const entry = this.take(key);
    entry?.resolve(value);
    return entry !== undefined;
  }

  reject(key: K, error: unknown): boolean {
    const entry = this.take(key);
    entry?.reject(error);
    return entry !== undefined;
  }

  /** Rejects every pending request, with one error or one made per request; returns how many there were. */
  rejectAll(errorFor: (key: K, meta: M) => unknown): number;
  rejectAll(error: unknown): number;
  rejectAll(error: unknown): number {
    const keys = [...this.pending.keys()];
    for (const key of keys) {
      const entry = this.take(key);
      entry?.reject(typeof error === 'function' ? (error as (key: K, meta: M) => unknown)(key, entry.meta) : error);
    }
    return keys.length;
  }

  private take(key: K): Pending<T, M> | undefined {
    const entry = this.pending.get(key);
    if (entry === undefined) return undefined;
    this.pending.delete(key);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    return entry;
  }
}
