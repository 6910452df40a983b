import type { Worker } from 'node:worker_threads';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared';
import type { ModelTimings } from '../models/ModelTimings.ts';
import { SerialWatchdog, type WatchedRequest } from '../workers/SerialWatchdog.ts';
import { ownedTransferables } from '../workers/ownedTransferables.ts';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import type { BuiltinReply, BuiltinRequestBody, BuiltinWorkerData } from './builtinProtocol.ts';

const workerUrl = siblingModule(import.meta.url, 'BuiltinWorker');

/** A numbered request of one worker; the pool settles or re-runs those of a worker it lost. */
export type BuiltinCall = WatchedRequest<BuiltinRequestBody>;

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
 * Host-side end of one built-in worker thread: numbers requests, matches replies and keeps a deadline on the
 * running one (both through SerialWatchdog). A request over `callTimeoutMs` gets the worker terminated (a
 * synchronous node cannot be interrupted otherwise); the pool hears about it through `onLost` and decides
 * what survives: it settles the lost worker's calls itself, re-running those that never started elsewhere.
 */
export class BuiltinWorkerHandle {
  private readonly worker: Worker;
  private readonly calls: SerialWatchdog<BuiltinRequestBody>;
  private nextId = 1;
  /** Requests whose buffers were transferred to the worker: they cannot be posted to another one. */
  private readonly moved = new Set<number>();
  private started = false;
  private lost = false;

  constructor(
    data: BuiltinWorkerData,
    private readonly callTimeoutMs: number,
    private readonly onLost: (handle: BuiltinWorkerHandle, loss: WorkerLoss) => void,
    private readonly onModelTimings: (timings: ModelTimings) => void = () => {},
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

  /** Runs `body` on this worker; the reply, or the error it failed with, settles the promise. */
  request(body: BuiltinRequestBody): Promise<unknown> {
    if (this.lost) return Promise.reject(new RemoteMediaError(ErrorCode.NodeFailed, 'the built-in worker is gone'));
    const id = this.nextId++;
    const reply = this.calls.add(id, body, this.callTimeoutMs);
    try {
      // A frame moves into the worker instead of being copied; the session does not read it afterwards.
      const transfer = body.type === 'process' ? ownedTransferables(body.item) : [];
      this.worker.postMessage({ ...body, id }, transfer);
      if (transfer.length > 0) this.moved.add(id);
    } catch (error) {
      // Structured clone refused the item (a function, a host object): nothing reached the worker.
      this.calls.reject(id, new RemoteMediaError(ErrorCode.InvalidInput, `cannot pass this to a built-in node: ${(error as Error).message}`));
    }
    return reply;
  }

  /** A call this lost worker never ran runs on `replacement`; its caller gets the answer from there. */
  forward(call: BuiltinCall, replacement: BuiltinWorkerHandle): void {
    if (this.moved.has(call.id)) {
      // Its frame was moved into the lost worker (see request): there is nothing left here to send again.
      this.calls.reject(
        call.id,
        new RemoteMediaError(ErrorCode.NodeFailed, 'the built-in worker was lost with this frame in its queue; send the frame again', {
          retryable: true,
        }),
      );
      return;
    }
    replacement.request(call.request).then(
      (value) => this.calls.resolve(call.id, value),
      (error: unknown) => this.calls.reject(call.id, error),
    );
  }

  /** Answers a call of this lost worker without running it. */
  resolve(call: BuiltinCall, value: unknown): void {
    this.calls.resolve(call.id, value);
  }

  /** Fails a call of this lost worker. */
  reject(call: BuiltinCall, error: unknown): void {
    this.calls.reject(call.id, error);
  }

  /** Shutdown: everything in flight fails with `error`, and the thread stops. */
  async terminate(error: Error): Promise<void> {
    this.lost = true;
    this.calls.rejectAll(error);
    await this.worker.terminate();
  }

  private onReply(reply: BuiltinReply): void {
    if (reply.type === 'ready') {
      this.started = true;
      this.calls.markReady();
      return;
    }
    if (reply.models) this.onModelTimings(reply.models);
    // A lost worker's calls are the pool's to settle now.
    if (this.lost) return;
    this.moved.delete(reply.id);
    if (reply.ok) this.calls.resolve(reply.id, reply.value);
    else this.calls.reject(reply.id, RemoteError.fromPayload(reply.error));
  }

  private lose(cause: WorkerLoss['cause'], reason: string): void {
    if (this.lost) return;
    this.lost = true;
    const culprit = this.calls.running();
    const pending = this.calls.stop();
    void this.worker.terminate();
    this.onLost(this, { cause, reason, culprit, waiting: pending.filter((call) => call.id !== culprit?.id), started: this.started });
  }
}

function describe(call: BuiltinCall): string {
  return call.request.type === 'decode-state' ? `decoding ${call.request.label}` : `a built-in node's ${call.request.type}`;
}
