import { ErrorCode, RemoteMediaError, toErrorPayload, type FrameMessage } from '@remotemedia/shared';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import type { EdgeChannel } from './EdgeChannel.ts';

/** Told about every frame's fate, for metrics. */
export interface FrameObserver {
  frameIn(nodeName: string): void;
  frameOut(nodeName: string, seconds: number): void;
  frameFailed(nodeName: string, seconds: number, code: string): void;
  frameDropped(nodeName: string): void;
}

/** How a sandboxed node came to be, kept for persistent nodes so they can be rebuilt after a restart. */
export interface NodeOrigin {
  readonly packageId: string;
  /** Its state is written to the data dir (deployed with `persist: true`). */
  readonly persistent: boolean;
}

interface QueuedFrame {
  message: FrameMessage;
  via: EdgeChannel;
}

/**
 * Frames waiting per node besides the one running: few, so a node slower than its input works on recent frames
 * instead of building up latency.
 */
export const DEFAULT_MAX_QUEUED_FRAMES = 2;

/**
 * A node instance deployed in a session, with its own frame queue. Frames for one node run one at a
 * time (a sandbox is single-threaded); when frames arrive faster than the node drains, the oldest waiting
 * frame is dropped and the client told, so live video stays current and every frame is accounted for.
 */
export class DeployedNode {
  readonly nodeId: string;
  readonly node: EdgeNode;
  readonly origin: NodeOrigin | undefined;
  private readonly maxQueuedFrames: number;
  private readonly observer: FrameObserver;
  private readonly queue: QueuedFrame[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  framesIn = 0;
  framesOut = 0;
  framesDropped = 0;

  constructor(init: { nodeId: string; node: EdgeNode; maxQueuedFrames: number; observer: FrameObserver; origin?: NodeOrigin }) {
    this.nodeId = init.nodeId;
    this.node = init.node;
    this.maxQueuedFrames = init.maxQueuedFrames;
    this.observer = init.observer;
    this.origin = init.origin;
  }

  get persistent(): boolean {
    return this.origin?.persistent ?? false;
  }

  get name(): string {
    return this.node.name;
  }

  enqueue(message: FrameMessage, via: EdgeChannel): void {
    this.framesIn++;
    this.observer.frameIn(this.name);
    this.queue.push({ message, via });
    while (this.queue.length > this.maxQueuedFrames) {
      const dropped = this.queue.shift()!;
      this.framesDropped++;
      this.observer.frameDropped(this.name);
      void dropped.via
        .send({ type: 'dropped', nodeId: this.nodeId, seq: dropped.message.seq, reason: 'edge queue full: newer frames replaced it' })
        .catch(() => undefined);
    }
    if (!this.running) void this.drain();
  }

  /** Tells the client about frames that will now never be processed. */
  abandon(reason: string): void {
    for (const { message, via } of this.queue.splice(0)) {
      this.framesDropped++;
      this.observer.frameDropped(this.name);
      void via.send({ type: 'dropped', nodeId: this.nodeId, seq: message.seq, reason }).catch(() => undefined);
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const { message, via } = next;
        const started = performance.now();
        let items: unknown[];
        try {
          if (this.node.disposed) {
            throw new RemoteMediaError(ErrorCode.SandboxDiscarded, `node "${this.name}" was disposed`);
          }
          items = await this.node.process(message.item, message.outputEncoding);
        } catch (error) {
          const payload = toErrorPayload(error, { nodeName: this.name, method: 'process' });
          this.observer.frameFailed(this.name, (performance.now() - started) / 1000, payload.code);
          await via.send({ type: 'error', nodeId: this.nodeId, seq: message.seq, error: payload }).catch(() => undefined);
          continue;
        }
        this.framesOut++;
        this.observer.frameOut(this.name, (performance.now() - started) / 1000);
        try {
          await via.send({ type: 'output', nodeId: this.nodeId, seq: message.seq, items }, 'media');
        } catch (error) {
          // The output cannot be sent (too large, or the connection is gone): say so where we still can.
          await via
            .send({
              type: 'error',
              nodeId: this.nodeId,
              seq: message.seq,
              error: toErrorPayload(error, { nodeName: this.name, method: 'process' }),
            })
            .catch(() => undefined);
        }
      }
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /** Resolves once every frame queued so far has been processed, so `flush` sees the whole stream. */
  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
