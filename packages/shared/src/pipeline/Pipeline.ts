import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { NodeError } from './NodeError.ts';
import type { NodePhase } from './NodeError.ts';
import type { NodeStats } from './NodeStats.ts';
import { PipelineEvents } from './PipelineEvents.ts';
import type { PipelineEventName, PipelineListener } from './PipelineEvents.ts';
import type { NodeResult, PipelineNode } from './PipelineNode.ts';
import { DEFAULT_QUEUE_OPTIONS, MAX_QUEUE_CAPACITY, QUEUE_POLICIES } from './QueueOptions.ts';
import type { QueueOptions } from './QueueOptions.ts';
import { acceptedFormatsOf, toAcceptedFormat } from './acceptedFormats.ts';
import { createStage, stageStats } from './Stage.ts';
import type { Stage } from './Stage.ts';
import { StreamRun } from './StreamRun.ts';
import { forEachResult } from './nodeOutput.ts';

export interface PipelineOptions {
  /** Defaults for every node's input queue; a node's own `queue` and `add(node, { queue })` override them. */
  queue?: Partial<QueueOptions>;
  /** Outputs the stream may hold before the consumer reads them; the pipeline then waits (always `block`). */
  outputCapacity?: number;
}

export interface AddNodeOptions {
  queue?: Partial<QueueOptions>;
}

type PipelineState = 'idle' | 'ready' | 'closed';

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
 */
export class Pipeline {
  private readonly stages: Stage[] = [];
  private readonly events = new PipelineEvents();
  private readonly defaults: QueueOptions;
  private readonly outputCapacity: number;
  private state: PipelineState = 'idle';
  private streaming = false;
  private initializing: Promise<void> | undefined;
  private closing: Promise<unknown> | undefined;
  /** Serializes `process`/`flush`: nodes are stateful and must see items one at a time, in order. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(nodes: readonly PipelineNode[] = [], options: PipelineOptions = {}) {
    this.defaults = resolveQueueOptions(DEFAULT_QUEUE_OPTIONS, options.queue, 'options.queue');
    this.outputCapacity = options.outputCapacity ?? DEFAULT_QUEUE_OPTIONS.capacity;
    checkCapacity(this.outputCapacity, 'options.outputCapacity');
    for (const node of nodes) this.add(node);
  }

  /** Appends a node. Only before the pipeline has started, so every node sees the whole lifecycle. */
  add(node: PipelineNode, options: AddNodeOptions = {}): this {
    if (this.state !== 'idle' || this.initializing || this.streaming) {
      throw new RemoteMediaError(
        this.state === 'closed' ? ErrorCode.Disposed : ErrorCode.InvalidInput,
        `cannot add node "${node?.name}": the pipeline has already ${this.state === 'closed' ? 'closed' : 'started'}`,
      );
    }
    if (typeof node !== 'object' || node === null || typeof node.name !== 'string' || node.name === '') {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'a pipeline node must be an object with a non-empty name');
    }
    let queue = resolveQueueOptions(this.defaults, node.queue, `node "${node.name}" queue`);
    queue = resolveQueueOptions(queue, options.queue, `node "${node.name}" queue`);
    this.stages.push(createStage(node, this.stages.length, queue, acceptedFormatsOf(node, node.name)));
    return this;
  }

  get nodes(): readonly PipelineNode[] {
    return this.stages.map((stage) => stage.node);
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  on<K extends PipelineEventName>(name: K, listener: PipelineListener<K>): () => void {
    return this.events.on(name, listener);
  }

  stats(): NodeStats[] {
    return this.stages.map(stageStats);
  }

  /** Initializes every node once, in order. Optional: `process` and `stream` call it on first use. */
  initialize(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(disposedError());
    this.initializing ??= this.initializeNodes();
    return this.initializing;
  }

  process(item: unknown): Promise<unknown[]> {
    if (this.streaming) return Promise.reject(busyError());
    return this.exclusive(async () => {
      this.assertUsable();
      await this.initialize();
      let items: unknown[] = [item];
      for (const stage of this.stages) items = await this.runStage(stage, items, false);
      return items;
    });
  }

  /** Feeds each node's flush output through the rest of the chain and returns what comes out of the end. */
  flush(): Promise<unknown[]> {
    if (this.streaming) return Promise.reject(busyError());
    return this.exclusive(async () => {
      this.assertUsable();
      if (this.state === 'idle') return [];
      let items: unknown[] = [];
      for (const stage of this.stages) items = await this.runStage(stage, items, true);
      return items;
    });
  }

  /**
   * Streams `source` through the nodes. Iterating the result starts the run; breaking out of the loop stops it.
   * The pipeline closes when the run ends, however it ends.
   */
  async *stream(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<unknown, void, undefined> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      this.assertUsable();
      this.streaming = true;
      await this.initialize();
      yield* this.runStream(source);
    } finally {
      this.streaming = false;
      release();
    }
  }

  /** Runs every initialized node's `cleanup` once, in reverse order. Safe to call repeatedly. */
  async close(): Promise<void> {
    const error = await this.shutdown();
    if (error) throw error;
  }

  private async *runStream(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<unknown, void, undefined> {
    const run = new StreamRun(this.stages, this.events, this.outputCapacity);
    const finished = run.start(source);
    let consumerLeft = true;
    try {
      for (;;) {
        const next = await run.output.shift();
        if (next.done) break;
        yield next.value;
      }
      consumerLeft = false;
    } finally {
      if (consumerLeft) run.abort();
      await finished;
      run.detach();
      const cleanupError = await this.shutdown();
      // A consumer that stopped early asked for no more results, errors included.
      if (!consumerLeft) {
        const error = run.error ?? cleanupError;
        if (error !== undefined) throw error;
      }
    }
  }

  private async initializeNodes(): Promise<void> {
    for (const stage of this.stages) {
      if (stage.node.initialize) {
        try {
          await stage.node.initialize();
        } catch (error) {
          throw await this.failStage(stage, 'initialize', error);
        }
      }
      stage.initialized = true;
    }
    if (this.state === 'idle') this.state = 'ready';
  }

  private async runStage(stage: Stage, items: readonly unknown[], flush: boolean): Promise<unknown[]> {
    const outputs: unknown[] = [];
    const emit = (output: unknown): boolean => {
      stage.emitted++;
      outputs.push(output);
      return true;
    };
    const node = stage.node;
    for (const item of items) {
      if (!node.process) {
        emit(item);
      } else {
        try {
          await forEachResult(node.process(toAcceptedFormat(item, stage.accepts)), emit);
        } catch (error) {
          throw await this.failStage(stage, 'process', error);
        }
      }
      stage.processed++;
    }
    if (flush && node.flush) {
      try {
        await forEachResult(node.flush() as NodeResult<unknown>, emit);
      } catch (error) {
        throw await this.failStage(stage, 'flush', error);
      }
    }
    return outputs;
  }

  /** Counts the failure, reports it, closes the pipeline and returns the error to throw. */
  private async failStage(stage: Stage, phase: NodePhase, cause: unknown): Promise<NodeError> {
    stage.errors++;
    const error = new NodeError(stage.node.name, stage.index, phase, cause);
    this.events.emit('error', { error });
    await this.shutdown();
    return error;
  }

  /** Idempotent; resolves to the first cleanup failure, if any, after trying every node. */
  private shutdown(): Promise<NodeError | undefined> {
    this.closing ??= (async () => {
      this.state = 'closed';
      let first: NodeError | undefined;
      for (const stage of [...this.stages].reverse()) {
        if (!stage.initialized || !stage.node.cleanup) continue;
        stage.initialized = false;
        try {
          await stage.node.cleanup();
        } catch (error) {
          stage.errors++;
          first ??= new NodeError(stage.node.name, stage.index, 'cleanup', error);
        }
      }
      return first;
    })();
    return this.closing as Promise<NodeError | undefined>;
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.lock.then(task);
    this.lock = result.catch(() => undefined);
    return result;
  }

  private assertUsable(): void {
    if (this.state === 'closed') throw disposedError();
    if (this.streaming) throw busyError();
  }
}

function busyError(): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.InvalidInput, 'the pipeline is streaming; it cannot take other work');
}

function disposedError(): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.Disposed, 'the pipeline is closed; build a new one');
}

function resolveQueueOptions(base: Readonly<QueueOptions>, override: Partial<QueueOptions> | undefined, where: string): QueueOptions {
  const capacity = override?.capacity ?? base.capacity;
  const policy = override?.policy ?? base.policy;
  checkCapacity(capacity, `${where}.capacity`);
  if (!QUEUE_POLICIES.includes(policy)) {
    throw new RemoteMediaError(
      ErrorCode.InvalidConfig,
      `${where}.policy: must be one of ${QUEUE_POLICIES.map((p) => `"${p}"`).join(', ')}, got ${JSON.stringify(policy)}`,
    );
  }
  return { capacity, policy };
}

function checkCapacity(capacity: number, where: string): void {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_QUEUE_CAPACITY) {
    throw new RemoteMediaError(
      ErrorCode.InvalidConfig,
      `${where}: must be an integer between 1 and ${MAX_QUEUE_CAPACITY}, got ${JSON.stringify(capacity)}`,
    );
  }
}
