import { toAcceptedFormat } from './acceptedFormats.ts';
import { BoundedQueue, type ShiftResult } from './BoundedQueue.ts';
import { NodeError } from './NodeError.ts';
import type { NodePhase } from './NodeError.ts';
import type { PipelineEvents } from './PipelineEvents.ts';
import type { NodeResult } from './PipelineNode.ts';
import type { Stage } from './Stage.ts';
import { forEachResult } from './nodeOutput.ts';

/**
 * What a streaming run of a chain (`StreamRun`) and of a graph (`GraphRun`) share: the output queue, the first
 * error, aborting everything at once, the pump that feeds the source in, and one node's loop (take an input,
 * convert it to a format the node accepts, process, emit; flush at the end). They differ only in where items
 * go: the next stage's queue, or every connection out of a node.
 */
export abstract class RunBase<O> {
  readonly output: BoundedQueue<O>;
  /** First failure (a NodeError, or whatever the source threw). */
  error: unknown = undefined;
  protected aborted = false;
  private sourceIterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;

  constructor(
    protected readonly events: PipelineEvents,
    outputCapacity: number,
  ) {
    this.output = new BoundedQueue(outputCapacity, 'block');
  }

  /** Every queue of the run besides `output`, emptied and refused when it aborts. */
  protected abstract queues(): Iterable<BoundedQueue<unknown>>;
  /** Hands an item from the source on; false once the run has stopped taking items. */
  protected abstract deliverFromSource(item: unknown): Promise<boolean>;
  /** The source ended (or failed): close what it fed, so the end reaches every node. */
  protected abstract sourceEnded(): void;

  /** Stops everything: queues are emptied, producers refused, the source is asked to stop. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const queue of this.queues()) queue.abort();
    this.output.abort();
    const iterator = this.sourceIterator;
    if (iterator?.return) {
      // The source's own cleanup failing must not mask the reason we stopped.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
    }
  }

  protected async pump(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    try {
      const iterator =
        Symbol.asyncIterator in source
          ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
          : (source as Iterable<unknown>)[Symbol.iterator]();
      this.sourceIterator = iterator;
      while (!this.aborted) {
        const next = await iterator.next();
        if (next.done || this.aborted) break;
        if (!(await this.deliverFromSource(next.value))) break;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.sourceEnded();
    }
  }

  /**
   * Runs one node until its input ends: each item (in a pixel format the node accepts) through `process`, what
   * it emits to `emit`, then `flush`. True when the node finished and flushed; false when the run stopped first.
   */
  protected async runNode(stage: Stage, next: () => Promise<ShiftResult<unknown>>, emit: (item: unknown) => Promise<boolean>): Promise<boolean> {
    const counted = (item: unknown): Promise<boolean> => {
      stage.emitted++;
      return emit(item);
    };
    for (;;) {
      const input = await next();
      if (input.done) break;
      const node = stage.node;
      const ok = node.process
        ? await this.call(stage, 'process', () => node.process!(toAcceptedFormat(input.value, stage.accepts)), counted)
        : await counted(input.value);
      if (!ok || this.aborted) return false;
      stage.processed++;
    }
    if (this.aborted) return false;
    return !stage.node.flush || (await this.call(stage, 'flush', () => stage.node.flush!(), counted));
  }

  protected fail(error: unknown): void {
    if (this.error === undefined) {
      this.error = error;
      if (error instanceof NodeError) this.events.emit('error', { error });
    }
    this.abort();
  }

  private async call(
    stage: Stage,
    phase: NodePhase,
    run: () => NodeResult<unknown> | Promise<NodeResult<unknown>>,
    emit: (item: unknown) => Promise<boolean>,
  ): Promise<boolean> {
    let delivered = true;
    try {
      await forEachResult(run(), async (item) => (delivered = await emit(item)));
      return delivered && !this.aborted;
    } catch (error) {
      stage.errors++;
      this.fail(new NodeError(stage.node.name, stage.index, phase, error));
      return false;
    }
  }
}
