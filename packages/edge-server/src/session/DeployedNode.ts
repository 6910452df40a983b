import { ErrorCode, RemoteMediaError, toErrorPayload, type DropCause, type EdgeTiming, type FrameMessage } from '@remotemedia/shared';
import type { CodedOutputs } from '../media/FrameCoding.ts';
import type { EdgeNode } from '../nodes/EdgeNode.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import type { FrameClock } from './FrameClock.ts';

/** Told about every frame's fate, for metrics. */
export interface FrameObserver {
  frameIn(nodeName: string): void;
  frameOut(nodeName: string, seconds: number): void;
  frameFailed(nodeName: string, seconds: number, code: string): void;
  frameDropped(nodeName: string, cause: DropCause): void;
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
  /** performance.now() on arrival: the start of its queue wait. */
  arrivedAt: number;
}

/**
 * Frames waiting per node besides the one running: few, so a node slower than its input works on recent frames
 * instead of building up latency.
 */
export const DEFAULT_MAX_QUEUED_FRAMES = 2;

/**
 * A frame older than this (from its capture) is skipped rather than processed: live video a second late is no
 * longer worth the node's time, and skipping it lets the next, fresher frame through. A client sets its own per
 * node; 0 turns it off.
 */
export const DEFAULT_FRAME_DEADLINE_MS = 1000;

/**
 * A node instance deployed in a session, with its own frame queue. Frames for one node run one at a
 * time (a sandbox is single-threaded); when frames arrive faster than the node drains, the oldest waiting
 * frame is dropped and the client told, so live video stays current and every frame is accounted for.
 * A frame older than the node's deadline is skipped (and the client told, cause `deadline`) on arrival and
 * again when its turn comes, before it reaches the node.
 */
export class DeployedNode {
  readonly nodeId: string;
  readonly node: EdgeNode;
  readonly origin: NodeOrigin | undefined;
  private readonly maxQueuedFrames: number;
  /** 0: frames are never skipped for their age. */
  readonly deadlineMs: number;
  private readonly clock: FrameClock;
  private readonly observer: FrameObserver;
  private readonly queue: QueuedFrame[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  framesIn = 0;
  framesOut = 0;
  framesDropped = 0;
  /** Of the dropped frames, those skipped for their age. */
  framesExpired = 0;

  constructor(init: {
    nodeId: string;
    node: EdgeNode;
    maxQueuedFrames: number;
    deadlineMs: number;
    clock: FrameClock;
    observer: FrameObserver;
    origin?: NodeOrigin;
  }) {
    this.nodeId = init.nodeId;
    this.node = init.node;
    this.maxQueuedFrames = init.maxQueuedFrames;
    this.deadlineMs = init.deadlineMs;
    this.clock = init.clock;
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
    const frame = { message, via, arrivedAt: performance.now() };
    if (message.capturedAt !== undefined && this.deadlineMs > 0) {
      const age = this.clock.arrived(message.capturedAt, Date.now(), this.deadlineMs);
      if (age > this.deadlineMs) {
        this.drop(frame, 'deadline', this.lateReason(age, 'it arrived'));
        return;
      }
    }
    this.queue.push(frame);
    while (this.queue.length > this.maxQueuedFrames) this.drop(this.queue.shift()!, 'queue-full', 'edge queue full: newer frames replaced it');
    if (!this.running) void this.drain();
  }

  /** Tells the client about frames that will now never be processed. */
  abandon(cause: 'node-gone' | 'session-closed', reason: string): void {
    for (const frame of this.queue.splice(0)) this.drop(frame, cause, reason);
  }

  private drop({ message, via }: QueuedFrame, cause: DropCause, reason: string): void {
    this.framesDropped++;
    if (cause === 'deadline') this.framesExpired++;
    this.observer.frameDropped(this.name, cause);
    void via.send({ type: 'dropped', nodeId: this.nodeId, seq: message.seq, cause, reason }).catch(() => undefined);
  }

  /** Its age, or undefined while it is within the deadline (or carries no capture time, or there is none). */
  private expired(message: FrameMessage): number | undefined {
    if (message.capturedAt === undefined || this.deadlineMs === 0) return undefined;
    const age = this.clock.age(message.capturedAt, Date.now(), this.deadlineMs);
    return age > this.deadlineMs ? age : undefined;
  }

  private lateReason(age: number, when: 'it arrived' | 'its turn came'): string {
    const corrected = this.clock.correction(this.deadlineMs);
    const clock =
      corrected === 0 ? '' : ` (measured from the fastest recent frame: the client's clock seems ${Math.round(Math.abs(corrected))} ms off)`;
    return `frame was ${Math.round(age)} ms old when ${when}, over this node's ${this.deadlineMs} ms deadline${clock}`;
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const { message, via } = next;
        const age = this.expired(message);
        if (age !== undefined) {
          this.drop(next, 'deadline', this.lateReason(age, 'its turn came'));
          continue;
        }
        const started = performance.now();
        let coded: CodedOutputs;
        try {
          if (this.node.disposed) {
            throw new RemoteMediaError(ErrorCode.SandboxDiscarded, `node "${this.name}" was disposed`);
          }
          coded = await this.node.process(message.item, message.outputEncoding);
        } catch (error) {
          const payload = toErrorPayload(error, { nodeName: this.name, method: 'process' });
          this.observer.frameFailed(this.name, (performance.now() - started) / 1000, payload.code);
          await via.send({ type: 'error', nodeId: this.nodeId, seq: message.seq, error: payload }).catch(() => undefined);
          continue;
        }
        this.framesOut++;
        const finished = performance.now();
        this.observer.frameOut(this.name, (finished - started) / 1000);
        const { items, decodeMs, encodeMs } = coded;
        // The node's time is the worker round trip less the decode and encode its worker reports apart.
        const codecMs = (decodeMs ?? 0) + (encodeMs ?? 0);
        const timing: EdgeTiming = {
          queueMs: roundMs(started - next.arrivedAt),
          nodeMs: roundMs(Math.max(0, finished - started - codecMs)),
          ...(decodeMs === undefined ? {} : { decodeMs: roundMs(decodeMs) }),
          ...(encodeMs === undefined ? {} : { encodeMs: roundMs(encodeMs) }),
        };
        try {
          await via.send({ type: 'output', nodeId: this.nodeId, seq: message.seq, items, timing }, 'media');
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

/** Hundredths of a millisecond: finer than any stage, and short on the wire. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}
