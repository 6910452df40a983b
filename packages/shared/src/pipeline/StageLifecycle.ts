import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { NodeError } from './NodeError.ts';
import type { NodePhase } from './NodeError.ts';
import { PipelineEvents } from './PipelineEvents.ts';
import type { NodeResult, PipelineNode } from './PipelineNode.ts';
import { MAX_QUEUE_CAPACITY, QUEUE_POLICIES } from './QueueOptions.ts';
import type { QueueOptions } from './QueueOptions.ts';
import { acceptedFormatsOf, toAcceptedFormat } from './acceptedFormats.ts';
import { createStage } from './Stage.ts';
import type { Stage } from './Stage.ts';
import { forEachResult } from './nodeOutput.ts';

type LifecycleState = 'idle' | 'ready' | 'closed';

/**
 * What a chain (`Pipeline`) and a graph (`PipelineGraph`) share: their stages, the once-only lifecycle
 * (initialize in order before the first item, cleanup once in reverse order when closing, also after an
 * error), one-at-a-time access for `process`/`flush` (nodes are stateful and see items in order), and the
 * stream's exclusive hold. Internal: each class exposes its own public surface over it.
 */
export class StageLifecycle {
  readonly stages: Stage[] = [];
  readonly events = new PipelineEvents();
  private state: LifecycleState = 'idle';
  private streaming = false;
  private initializing: Promise<void> | undefined;
  private closing: Promise<NodeError | undefined> | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  get closed(): boolean {
    return this.state === 'closed';
  }

  get started(): boolean {
    return this.state === 'ready' || this.initializing !== undefined;
  }

  /** Only before the first item, so every node sees the whole lifecycle. */
  addStage(node: PipelineNode, queue: QueueOptions): Stage {
    if (this.state !== 'idle' || this.initializing || this.streaming) {
      throw new RemoteMediaError(
        this.state === 'closed' ? ErrorCode.Disposed : ErrorCode.InvalidInput,
        `cannot add node "${node?.name}": the pipeline has already ${this.state === 'closed' ? 'closed' : 'started'}`,
      );
    }
    const stage = createStage(node, this.stages.length, queue, acceptedFormatsOf(node, node.name));
    this.stages.push(stage);
    return stage;
  }

  /** Initializes every node once, in the order of `stages`. */
  initialize(): Promise<void> {
    if (this.state === 'closed') return Promise.reject(disposedError());
    this.initializing ??= this.initializeNodes();
    return this.initializing;
  }

  /** Runs `task` after every earlier `process`/`flush`; refused while a stream holds the nodes. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.streaming) return Promise.reject(busyError());
    const result = this.lock.then(async () => {
      this.assertUsable();
      return task();
    });
    this.lock = result.catch(() => undefined);
    return result;
  }

  /** Holds the nodes for a whole stream: waits for earlier work, initializes, then yields what `run` yields. */
  async *stream<T>(run: () => AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      this.assertUsable();
      this.streaming = true;
      await this.initialize();
      yield* run();
    } finally {
      this.streaming = false;
      release();
    }
  }

  /** One stage over a batch of items (and its flush output, when `flush`), for `process`/`flush`. */
  async runStage(stage: Stage, items: readonly unknown[], flush: boolean): Promise<unknown[]> {
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

  /** Counts the failure, reports it, closes and returns the error to throw. */
  async failStage(stage: Stage, phase: NodePhase, cause: unknown): Promise<NodeError> {
    stage.errors++;
    const error = new NodeError(stage.node.name, stage.index, phase, cause);
    this.events.emit('error', { error });
    await this.shutdown();
    return error;
  }

  /** Idempotent; resolves to the first cleanup failure, if any, after trying every node (reverse order). */
  shutdown(): Promise<NodeError | undefined> {
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
    return this.closing;
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

  private assertUsable(): void {
    if (this.state === 'closed') throw disposedError();
    if (this.streaming) throw busyError();
  }
}

/** A node object as pipelines require it: an object with a non-empty name. */
export function checkNode(node: PipelineNode): void {
  if (typeof node !== 'object' || node === null || typeof node.name !== 'string' || node.name === '') {
    throw new RemoteMediaError(ErrorCode.InvalidInput, 'a pipeline node must be an object with a non-empty name');
  }
}

export function resolveQueueOptions(base: Readonly<QueueOptions>, override: Partial<QueueOptions> | undefined, where: string): QueueOptions {
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

export function checkCapacity(capacity: number, where: string): void {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_QUEUE_CAPACITY) {
    throw new RemoteMediaError(
      ErrorCode.InvalidConfig,
      `${where}: must be an integer between 1 and ${MAX_QUEUE_CAPACITY}, got ${JSON.stringify(capacity)}`,
    );
  }
}

function busyError(): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.InvalidInput, 'the pipeline is streaming; it cannot take other work');
}

function disposedError(): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.Disposed, 'the pipeline is closed; build a new one');
}
