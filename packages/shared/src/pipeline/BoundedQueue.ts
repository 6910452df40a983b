import type { QueuePolicy } from './QueueOptions.ts';

export type ShiftResult<T> = { done: false; value: T } | { done: true };

/** What a push did: `accepted`, accepted after discarding the oldest item, or refused (queue aborted/closed). */
export type PushResult<T> = { status: 'accepted' } | { status: 'dropped'; dropped: T } | { status: 'refused' };

/**
 * A FIFO with a fixed capacity and a full-queue policy, for one producer and one consumer.
 * `close()` lets the consumer drain what is left; `abort()` ends both sides at once.
 */
export class BoundedQueue<T> {
  readonly capacity: number;
  readonly policy: QueuePolicy;
  private readonly items: T[] = [];
  private readonly takers: ((result: ShiftResult<T>) => void)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private closed = false;
  private aborted = false;

  constructor(capacity: number, policy: QueuePolicy) {
    this.capacity = capacity;
    this.policy = policy;
  }

  get size(): number {
    return this.items.length;
  }

  async push(item: T): Promise<PushResult<T>> {
    while (!this.aborted && !this.closed && this.takers.length === 0 && this.items.length >= this.capacity) {
      if (this.policy === 'drop-oldest') {
        const dropped = this.items.shift() as T;
        this.items.push(item);
        return { status: 'dropped', dropped };
      }
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.aborted || this.closed) return { status: 'refused' };
    const taker = this.takers.shift();
    if (taker) taker({ done: false, value: item });
    else this.items.push(item);
    return { status: 'accepted' };
  }

  shift(): Promise<ShiftResult<T>> {
    if (this.aborted) return Promise.resolve({ done: true });
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      this.spaceWaiters.shift()?.();
      return Promise.resolve({ done: false, value });
    }
    if (this.closed) return Promise.resolve({ done: true });
    return new Promise((resolve) => this.takers.push(resolve));
  }

  /** No more pushes; the consumer still receives what is queued, then `done`. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  /** Ends both sides now: queued items are discarded, waiting producers are refused. */
  abort(): void {
    this.aborted = true;
    this.items.length = 0;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const waiter of this.spaceWaiters.splice(0)) waiter();
    if (this.aborted || this.items.length === 0) {
      for (const taker of this.takers.splice(0)) taker({ done: true });
    }
  }
}
