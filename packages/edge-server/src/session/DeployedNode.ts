import { ErrorCode, RemoteMediaError, toErrorPayload, type FrameMessage } from '@remotemedia/shared';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import type { EdgeChannel } from './EdgeChannel.ts';

interface QueuedFrame {
  message: FrameMessage;
  via: EdgeChannel;
}

/**
 * A node instance deployed in a session, with its own frame queue. Frames for one node run one at a
 * time (a sandbox is single-threaded); when frames arrive faster than the node drains, the oldest waiting
 * frame is dropped and the client told, so live video stays current and every frame is accounted for.
 */
export class DeployedNode {
  readonly nodeId: string;
  readonly node: EdgeNode;
  private readonly maxQueuedFrames: number;
  private readonly queue: QueuedFrame[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  framesIn = 0;
  framesOut = 0;
  framesDropped = 0;

  constructor(nodeId: string, node: EdgeNode, maxQueuedFrames: number) {
    this.nodeId = nodeId;
    this.node = node;
    this.maxQueuedFrames = maxQueuedFrames;
  }

  get name(): string {
    return this.node.name;
  }

  enqueue(message: FrameMessage, via: EdgeChannel): void {
    this.framesIn++;
    this.queue.push({ message, via });
    while (this.queue.length > this.maxQueuedFrames) {
      const dropped = this.queue.shift()!;
      this.framesDropped++;
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
      void via.send({ type: 'dropped', nodeId: this.nodeId, seq: message.seq, reason }).catch(() => undefined);
    }
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const { message, via } = next;
        try {
          if (this.node.disposed) {
            throw new RemoteMediaError(ErrorCode.SandboxDiscarded, `node "${this.name}" was disposed`);
          }
          const items = await this.node.process(message.item);
          this.framesOut++;
          await via.send({ type: 'output', nodeId: this.nodeId, seq: message.seq, items }, 'media');
        } catch (error) {
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
