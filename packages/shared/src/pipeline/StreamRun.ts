import { toAcceptedFormat } from './acceptedFormats.ts';
import { BoundedQueue } from './BoundedQueue.ts';
import { NodeError } from './NodeError.ts';
import type { NodePhase } from './NodeError.ts';
import type { PipelineEvents } from './PipelineEvents.ts';
import type { NodeResult } from './PipelineNode.ts';
import type { Stage } from './Stage.ts';
import { forEachResult } from './nodeOutput.ts';

/**
 * One streaming run over initialized stages: a pump feeds the first node's queue, one worker per node
 * drains its queue into the next, the last feeds `output`. When the source ends each worker flushes and
 * closes the next queue, so buffered items reach the consumer before the run completes.
 */
export class StreamRun {
  readonly output: BoundedQueue<unknown>;
  /** First failure (a NodeError, or whatever the source threw). */
  error: unknown = undefined;
  private aborted = false;
  private sourceIterator: AsyncIterator<unknown> | Iterator<unknown> | undefined;
  private readonly stages: readonly Stage[];
  /**
   * Each stage's queue for this run, held here rather than read back from `stage.live`: the consumer may leave
   * (break) and detach the stages while the pump still waits on the source, whose late answer must land on
   * this run's (aborted) queue, not on a stage that no longer has one.
   */
  private readonly queues: readonly BoundedQueue<unknown>[];
  private readonly events: PipelineEvents;

  constructor(stages: readonly Stage[], events: PipelineEvents, outputCapacity: number) {
    this.stages = stages;
    this.events = events;
    this.output = new BoundedQueue(outputCapacity, 'block');
    this.queues = stages.map((stage) => {
      stage.live = new BoundedQueue(stage.queue.capacity, stage.queue.policy);
      return stage.live;
    });
  }

  /** Settles (never rejects) when every worker has finished or the run was aborted. */
  start(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    const pump = this.pump(source);
    if (this.stages.length === 0) return pump;
    return Promise.all(this.stages.map((_, i) => this.work(i))).then(() => undefined);
  }

  /** Stops everything: queues are emptied, producers refused, the source is asked to stop. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    for (const queue of this.queues) queue.abort();
    this.output.abort();
    const iterator = this.sourceIterator;
    if (iterator?.return) {
      // The source's own cleanup failing must not mask the reason we stopped.
      Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
    }
  }

  /** Detaches the queues from the stages so stats stop reporting depth. */
  detach(): void {
    for (const stage of this.stages) stage.live = undefined;
  }

  private async pump(source: AsyncIterable<unknown> | Iterable<unknown>): Promise<void> {
    try {
      const iterator =
        Symbol.asyncIterator in source
          ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
          : (source as Iterable<unknown>)[Symbol.iterator]();
      this.sourceIterator = iterator;
      while (!this.aborted) {
        const next = await iterator.next();
        if (next.done || this.aborted) break;
        if (!(await this.deliver(0, next.value))) break;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      (this.queues[0] ?? this.output).close();
    }
  }

  private async work(index: number): Promise<void> {
    const stage = this.stages[index]!;
    const queue = this.queues[index]!;
    const emit = (item: unknown): Promise<boolean> => {
      stage.emitted++;
      return this.deliver(index + 1, item);
    };
    for (;;) {
      const next = await queue.shift();
      if (next.done) break;
      const node = stage.node;
      const ok = node.process
        ? await this.call(stage, 'process', () => node.process!(toAcceptedFormat(next.value, stage.accepts)), emit)
        : await emit(next.value);
      if (!ok || this.aborted) return;
      stage.processed++;
    }
    if (this.aborted) return;
    if (stage.node.flush && !(await this.call(stage, 'flush', () => stage.node.flush!(), emit))) return;
    (this.queues[index + 1] ?? this.output).close();
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

  private async deliver(index: number, item: unknown): Promise<boolean> {
    if (index >= this.stages.length) return (await this.output.push(item)).status !== 'refused';
    const stage = this.stages[index]!;
    const result = await this.queues[index]!.push(item);
    if (result.status === 'dropped') {
      stage.dropped++;
      this.events.emit('drop', {
        nodeName: stage.node.name,
        nodeIndex: stage.index,
        item: result.dropped,
        totalDropped: stage.dropped,
      });
    }
    return result.status !== 'refused';
  }

  private fail(error: unknown): void {
    if (this.error === undefined) {
      this.error = error;
      if (error instanceof NodeError) this.events.emit('error', { error });
    }
    this.abort();
  }
}
