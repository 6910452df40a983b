import type { BoundedQueue, ShiftResult } from '../BoundedQueue.ts';
import type { JoinPolicy } from './GraphTopology.ts';

/** One connection into a node while a graph streams. */
export interface JoinInput {
  readonly from: string;
  readonly queue: BoundedQueue<unknown>;
}

/** The next item a node should process, taken from its inputs by its join policy; `done` once all are spent. */
export interface InputReader {
  next(): Promise<ShiftResult<unknown>>;
}

/**
 * Reads a node's inputs. `unmatched` receives items a zip can never pair (their partner input ended), so
 * they are counted instead of vanishing.
 */
export function createInputReader(
  inputs: readonly JoinInput[],
  policy: JoinPolicy | undefined,
  unmatched: (from: string, item: unknown) => void,
): InputReader {
  if (inputs.length === 1) return { next: () => inputs[0]!.queue.shift() };
  switch (policy ?? 'arrival') {
    case 'arrival':
      return new ArrivalReader(inputs);
    case 'timestamp':
      return new TimestampReader(inputs);
    case 'zip':
      return new ZipReader(inputs, unmatched);
  }
}

type Settled = { index: number; result: ShiftResult<unknown> };

/**
 * Whatever comes first. A `shift` that lost the race is kept, not repeated: its item is already out of the
 * queue and is returned by a later `next`. The race starts at a rotating input so none is favoured.
 */
class ArrivalReader implements InputReader {
  private readonly pending: (Promise<Settled> | undefined)[];
  private readonly done: boolean[];
  private start = 0;

  constructor(private readonly inputs: readonly JoinInput[]) {
    this.pending = inputs.map(() => undefined);
    this.done = inputs.map(() => false);
  }

  async next(): Promise<ShiftResult<unknown>> {
    for (;;) {
      const racing: Promise<Settled>[] = [];
      for (let k = 0; k < this.inputs.length; k++) {
        const index = (this.start + k) % this.inputs.length;
        if (this.done[index]) continue;
        this.pending[index] ??= this.inputs[index]!.queue.shift().then((result) => ({ index, result }));
        racing.push(this.pending[index]!);
      }
      if (racing.length === 0) return { done: true };
      this.start = (this.start + 1) % this.inputs.length;
      const { index, result } = await Promise.race(racing);
      this.pending[index] = undefined;
      if (result.done) this.done[index] = true;
      else return result;
    }
  }
}

/** Smallest timestamp first across inputs; waits until every open input has an item to compare. */
class TimestampReader implements InputReader {
  private readonly heads: (ShiftResult<unknown> | undefined)[];

  constructor(private readonly inputs: readonly JoinInput[]) {
    this.heads = inputs.map(() => undefined);
  }

  async next(): Promise<ShiftResult<unknown>> {
    let best = -1;
    for (let index = 0; index < this.inputs.length; index++) {
      this.heads[index] ??= await this.inputs[index]!.queue.shift();
      const head = this.heads[index]!;
      if (head.done) continue;
      if (best < 0 || timestampOf(head.value) < timestampOf((this.heads[best] as { value: unknown }).value)) best = index;
    }
    if (best < 0) return { done: true };
    const head = this.heads[best]!;
    this.heads[best] = undefined;
    return head;
  }
}

/** One item from every input, as `{ [from]: item }`. Ends with the first input that ends; the rest is unmatched. */
class ZipReader implements InputReader {
  private ended = false;

  constructor(
    private readonly inputs: readonly JoinInput[],
    private readonly unmatched: (from: string, item: unknown) => void,
  ) {}

  async next(): Promise<ShiftResult<unknown>> {
    if (this.ended) return { done: true };
    const record: Record<string, unknown> = {};
    for (const [index, input] of this.inputs.entries()) {
      const result = await input.queue.shift();
      if (result.done) {
        this.ended = true;
        for (const [from, item] of Object.entries(record)) this.unmatched(from, item);
        // Upstream may still be producing: take it all, so a blocked producer is never left waiting forever.
        await Promise.all(this.inputs.filter((_, other) => other !== index).map((other) => this.discard(other)));
        return { done: true };
      }
      record[input.from] = result.value;
    }
    return { done: false, value: record };
  }

  private async discard(input: JoinInput): Promise<void> {
    for (let result = await input.queue.shift(); !result.done; result = await input.queue.shift()) {
      this.unmatched(input.from, result.value);
    }
  }
}

/** Items without a numeric `timestamp` sort first: they carry no capture time to wait for. */
export function timestampOf(item: unknown): number {
  const timestamp = typeof item === 'object' && item !== null ? (item as { timestamp?: unknown }).timestamp : undefined;
  return typeof timestamp === 'number' && Number.isFinite(timestamp) ? timestamp : Number.NEGATIVE_INFINITY;
}
