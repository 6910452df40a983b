import { BoundedQueue } from './BoundedQueue.ts';
import type { PipelineEvents } from './PipelineEvents.ts';
import { RunBase } from './RunBase.ts';
import type { Stage } from './Stage.ts';

/**
 * One streaming run over initialized stages: a pump feeds the first node's queue, one worker per node
 * drains its queue into the next, the last feeds `output`. When the source ends each worker flushes and
 * closes the next queue, so buffered items reach the consumer before the run completes.
 */
export class StreamRun extends RunBase<unknown> {
  private readonly stages: readonly Stage[];
  /**
   * Each stage's queue for this run, held here rather than read back from `stage.live`: the consumer may leave
   * (break) and detach the stages while the pump still waits on the source, whose late answer must land on
   * this run's (aborted) queue, not on a stage that no longer has one.
   */
  private readonly stageQueues: readonly BoundedQueue<unknown>[];

  constructor(stages: readonly Stage[], events: PipelineEvents, outputCapacity: number) {
    super(events, outputCapacity);
    this.stages = stages;
    this.stageQueues = stages.map((stage) => {
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

  /** Detaches the queues from the stages so stats stop reporting depth. */
  detach(): void {
    for (const stage of this.stages) stage.live = undefined;
  }

  protected queues(): Iterable<BoundedQueue<unknown>> {
    return this.stageQueues;
  }

  protected deliverFromSource(item: unknown): Promise<boolean> {
    return this.deliver(0, item);
  }

  protected sourceEnded(): void {
    (this.stageQueues[0] ?? this.output).close();
  }

  private async work(index: number): Promise<void> {
    const queue = this.stageQueues[index]!;
    if (
      await this.runNode(
        this.stages[index]!,
        () => queue.shift(),
        (item) => this.deliver(index + 1, item),
      )
    ) {
      (this.stageQueues[index + 1] ?? this.output).close();
    }
  }

  private async deliver(index: number, item: unknown): Promise<boolean> {
    if (index >= this.stages.length) return (await this.output.push(item)).status !== 'refused';
    const stage = this.stages[index]!;
    const result = await this.stageQueues[index]!.push(item);
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
}
