/**
 * A bounded hand-off from a push source (an AudioWorklet's port) to an async iterator. When the consumer
 * falls behind, the oldest items are dropped and counted: capture never grows memory without bound, and
 * never loses audio without saying so.
 */
export class FrameQueue<T> {
  private readonly items: T[] = [];
  private readonly capacity: number;
  private readonly onDrop: ((dropped: number) => void) | undefined;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  /** Items dropped because the queue was full. */
  dropped = 0;

  constructor(capacity: number, onDrop?: (dropped: number) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.onDrop = onDrop;
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiter !== undefined) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.shift();
      this.dropped++;
      this.onDrop?.(this.dropped);
    }
  }

  /** No more items: a pending or later `next()` resolves done once the queue is drained. */
  end(): void {
    this.ended = true;
    if (this.waiter !== undefined && this.items.length === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
