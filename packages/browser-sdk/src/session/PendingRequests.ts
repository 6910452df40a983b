import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Requests waiting for their reply, keyed by id, with a timeout each; all rejected at once when the session ends. */
export class PendingRequests<K, T> {
  private readonly pending = new Map<K, Pending<T>>();

  get size(): number {
    return this.pending.size;
  }

  wait(key: K, timeoutMs: number, what: string): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              this.pending.delete(key);
              reject(new RemoteMediaError(ErrorCode.Timeout, `${what} got no answer within ${timeoutMs} ms`, { retryable: true }));
            }, timeoutMs)
          : undefined;
      this.pending.set(key, { resolve, reject, timer });
    });
    // A caller that gave up early (its send failed) no longer awaits this; its later rejection is expected,
    // not an unhandled error. Callers that do await it still see the rejection.
    promise.catch(() => undefined);
    return promise;
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

  rejectAll(error: unknown): void {
    for (const key of [...this.pending.keys()]) this.reject(key, error);
  }

  private take(key: K): Pending<T> | undefined {
    const entry = this.pending.get(key);
    if (entry === undefined) return undefined;
    this.pending.delete(key);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    return entry;
  }
}
