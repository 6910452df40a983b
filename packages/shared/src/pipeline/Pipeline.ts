import type { NodeStats } from './NodeStats.ts';
import type { PipelineEventName, PipelineListener } from './PipelineEvents.ts';
import type { PipelineNode } from './PipelineNode.ts';
import { DEFAULT_QUEUE_OPTIONS } from './QueueOptions.ts';
import type { QueueOptions } from './QueueOptions.ts';
import { stageStats } from './Stage.ts';
import { StageLifecycle, checkCapacity, checkNode, resolveQueueOptions } from './StageLifecycle.ts';
import { StreamRun } from './StreamRun.ts';
import { drainRun } from './drainRun.ts';

export interface PipelineOptions {
  /** Defaults for every node's input queue; a node's own `queue` and `add(node, { queue })` override them. */
  queue?: Partial<QueueOptions>;
  /** Outputs the stream may hold before the consumer reads them; the pipeline then waits (always `block`). */
  outputCapacity?: number;
}

export interface AddNodeOptions {
  queue?: Partial<QueueOptions>;
}

/**
 * Nodes in a chain. Two ways to drive it:
 * - `process(item)` runs one item through every node and resolves to the array of final outputs
 *   (empty when a node filtered or held the item, several when a node fanned out). `flush()` drains held items.
 *   Call `close()` when done.
 * - `stream(source)` runs a whole (async) iterable with a bounded queue in front of every node and yields
 *   outputs as they appear. When the source ends every node is flushed and the pipeline closes itself.
 *
 * Lifecycle: each node's `initialize` runs once before the first item; `cleanup` runs once, in reverse order,
 * when the pipeline closes: after a stream, on `close()`, or after any error. An error ends the pipeline:
 * it is thrown as a `NodeError` naming the node, and using the pipeline afterwards throws DISPOSED.
 * For branches and joins, see `PipelineGraph`.
 */
export class Pipeline {
  private readonly core = new StageLifecycle();
  private readonly defaults: QueueOptions;
  private readonly outputCapacity: number;

  constructor(nodes: readonly PipelineNode[] = [], options: PipelineOptions = {}) {
    this.defaults = resolveQueueOptions(DEFAULT_QUEUE_OPTIONS, options.queue, 'options.queue');
    this.outputCapacity = options.outputCapacity ?? DEFAULT_QUEUE_OPTIONS.capacity;
    checkCapacity(this.outputCapacity, 'options.outputCapacity');
    for (const node of nodes) this.add(node);
  }

  /** Appends a node. Only before the pipeline has started, so every node sees the whole lifecycle. */
  add(node: PipelineNode, options: AddNodeOptions = {}): this {
    checkNode(node);
    let queue = resolveQueueOptions(this.defaults, node.queue, `node "${node.name}" queue`);
    queue = resolveQueueOptions(queue, options.queue, `node "${node.name}" queue`);
    this.core.addStage(node, queue);
    return this;
  }

  get nodes(): readonly PipelineNode[] {
    return this.core.stages.map((stage) => stage.node);
  }

  get closed(): boolean {
    return this.core.closed;
  }

  on<K extends PipelineEventName>(name: K, listener: PipelineListener<K>): () => void {
    return this.core.events.on(name, listener);
  }

  stats(): NodeStats[] {
    return this.core.stages.map(stageStats);
  }

  /** Initializes every node once, in order. Optional: `process` and `stream` call it on first use. */
  initialize(): Promise<void> {
    return this.core.initialize();
  }

  process(item: unknown): Promise<unknown[]> {
    return this.core.exclusive(async () => {
      await this.core.initialize();
      let items: unknown[] = [item];
      for (const stage of this.core.stages) items = await this.core.runStage(stage, items, false);
      return items;
    });
  }

  /** Feeds each node's flush output through the rest of the chain and returns what comes out of the end. */
  flush(): Promise<unknown[]> {
    return this.core.exclusive(async () => {
      if (!this.core.started) return [];
      let items: unknown[] = [];
      for (const stage of this.core.stages) items = await this.core.runStage(stage, items, true);
      return items;
    });
  }

  /**
   * Streams `source` through the nodes. Iterating the result starts the run; breaking out of the loop stops it.
   * The pipeline closes when the run ends, however it ends.
   */
  stream(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<unknown, void, undefined> {
    return this.core.stream(() => this.runStream(source));
  }

  /** Runs every initialized node's `cleanup` once, in reverse order. Safe to call repeatedly. */
  async close(): Promise<void> {
    const error = await this.core.shutdown();
    if (error) throw error;
  }

  private async *runStream(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<unknown, void, undefined> {
    const run = new StreamRun(this.core.stages, this.core.events, this.outputCapacity);
    yield* drainRun(run, run.start(source), () => this.core.shutdown());
  }
}
