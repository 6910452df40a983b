import type { Worker } from 'node:worker_threads';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared';
import { SerialWatchdog } from '../workers/SerialWatchdog.ts';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import type { BuiltinReply, BuiltinRequestBody, BuiltinWorkerData } from './builtinProtocol.ts';

const workerUrl = siblingModule(import.meta.url, 'BuiltinWorker');

/** One request with its caller's promise, kept whole so the pool can send it again to a replacement worker. */
export interface BuiltinCall {
  readonly body: BuiltinRequestBody;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Why a worker is gone, and what it still had. */
export interface WorkerLoss {
  readonly cause: 'timeout' | 'crash';
  readonly reason: string;
  /** The request that was running: it ran past its deadline, or the worker died while running it. */
  readonly culprit: BuiltinCall | undefined;
  /** Requests that never started, oldest first: they can run on a replacement. */
  readonly waiting: BuiltinCall[];
  /** False when the worker never became ready: replacing it would fail the same way. */
  readonly started: boolean;
}

/**
 * Host-side end of one built-in worker thread: numbers requests, matches replies, and keeps a deadline on
 * the running one. A request over `callTimeoutMs` gets the worker terminated (a synchronous node cannot be
 * interrupted otherwise); the pool hears about it through `onLost` and decides what survives.
 */
export class BuiltinWorkerHandle {
  private readonly worker: Worker;
  private readonly calls: SerialWatchdog<BuiltinCall>;
  private nextId = 1;
  private started = false;
  private lost = false;

  constructor(
    data: BuiltinWorkerData,
    private readonly callTimeoutMs: number,
    private readonly onLost: (handle: BuiltinWorkerHandle, loss: WorkerLoss) => void,
  ) {
    this.calls = new SerialWatchdog((call, elapsedMs) =>
      this.lose('timeout', `${describe(call)} ran ${elapsedMs} ms, past the edge's builtinCallTimeoutMs (${callTimeoutMs} ms)`),
    );
    this.worker = startWorker(workerUrl, { workerData: data });
    this.worker.on('message', (reply: BuiltinReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.lose('crash', `the built-in worker failed: ${error.message}`));
    this.worker.on('exit', (code) => this.lose('crash', `the built-in worker exited with code ${code}`));
  }

  get alive(): boolean {
    return !this.lost;
  }

  /** Requests queued or running; for least-loaded placement. */
  get load(): number {
    return this.calls.size;
  }

  send(call: BuiltinCall): void {
    if (this.lost) {
      call.reject(new RemoteMediaError(ErrorCode.NodeFailed, 'the built-in worker is gone'));
      return;
    }
    const id = this.nextId++;
    this.calls.add(id, call, this.callTimeoutMs);
    try {
      this.worker.postMessage({ ...call.body, id });
    } catch (error) {
      // Structured clone refused the item (a function, a host object): nothing reached the worker.
      this.calls.settle(id);
      call.reject(new RemoteMediaError(ErrorCode.InvalidInput, `cannot pass this to a built-in node: ${(error as Error).message}`));
    }
  }

  /** Shutdown: everything in flight fails with `error`, and the thread stops. */
  async terminate(error: Error): Promise<void> {
    this.lost = true;
    for (const call of this.calls.drain()) call.reject(error);
    await this.worker.terminate();
  }

  private onReply(reply: BuiltinReply): void {
    if (reply.type === 'ready') {
      this.started = true;
      this.calls.markReady();
      return;
    }
    const call = this.calls.settle(reply.id);
    if (call === undefined) return;
    if (reply.ok) call.resolve(reply.value);
    else call.reject(RemoteError.fromPayload(reply.error));
  }

  private lose(cause: WorkerLoss['cause'], reason: string): void {
    if (this.lost) return;
    this.lost = true;
    const culprit = this.calls.running();
    const pending = this.calls.drain();
    void this.worker.terminate();
    this.onLost(this, { cause, reason, culprit, waiting: pending.filter((call) => call !== culprit), started: this.started });
  }
}

function describe(call: BuiltinCall): string {
  return call.body.type === 'decode-state' ? `decoding ${call.body.label}` : `a built-in node's ${call.body.type}`;
}
