import { PendingRequests } from '@remotemedia/shared/rpc';
import { ErrorCode, RemoteError, RemoteMediaError, type ErrorPayload } from '@remotemedia/shared/errors';
import { discardReason } from './SandboxFailure.ts';
import type { VideoEncoding } from '@remotemedia/shared/frames';
import { CODEC_LOAD_BUDGET_MS } from './requestBudgets.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import { RequestNotStarted } from './RequestNotStarted.ts';
import { WorkerFailure } from './SandboxWorkerHandle.ts';
import type { SandboxWorkerHandle } from './SandboxWorkerHandle.ts';
import type { ConsoleEntry } from './workerProtocol.ts';
import { usesCodecs, type CodedOutputs } from '../media/FrameCoding.ts';

/** The pool-side hooks a NodeSandbox needs; kept narrow so NodeSandbox does not depend on SandboxPool. */
export interface NodeSandboxHost {
  /** The session the sandbox belongs to, for fair scheduling on its worker. */
  tenant: string;
  limits: SandboxLimits;
  /** Extra watchdog budget on top of the call limit (marshaling, housekeeping). */
  overheadMs: number;
  forget: (sandbox: NodeSandbox) => void;
}

/**
 * Host-side handle of one node instance running in a sandbox worker. Calls are queued in the worker in order.
 * Use after dispose is a typed error; after a limit violation every call is refused with SandboxDiscarded.
 *
 * When the pool re-creates the instance on another worker (its worker was lost to another sandbox, or its
 * session moves to the quarantine worker), calls made meanwhile, and calls that were still waiting on the lost
 * worker, are held and then run on the new instance in their order: none is lost.
 */
export class NodeSandbox {
  readonly id: string;
  readonly nodeName: string;
  readonly methods: readonly string[];
  private readonly host: NodeSandboxHost;
  private worker: SandboxWorkerHandle;
  /** Set while the instance is being re-created elsewhere: the calls to run once it is back. */
  private parked: Array<() => void> | undefined;
  private readonly onConsoleListener: ((entry: ConsoleEntry) => void) | undefined;
  /** Calls not yet answered, by a per-sandbox call number; close and dispose reject them all at once. */
  private readonly inflight = new PendingRequests<number, unknown>();
  private nextCall = 1;
  private discardedBy: ErrorPayload | undefined;
  private disposing: Promise<void> | undefined;
  private closedWith: Error | undefined;

  /** @internal Created by SandboxPool.create. */
  constructor(init: {
    id: string;
    nodeName: string;
    methods: readonly string[];
    host: NodeSandboxHost;
    worker: SandboxWorkerHandle;
    onConsole: ((entry: ConsoleEntry) => void) | undefined;
  }) {
    this.id = init.id;
    this.nodeName = init.nodeName;
    this.methods = Object.freeze([...init.methods]);
    this.host = init.host;
    this.worker = init.worker;
    this.onConsoleListener = init.onConsole;
  }

  get tenant(): string {
    return this.host.tenant;
  }

  /** Which kind of worker runs the instance now: 'quarantine' once its session got a worker terminated. */
  get placement(): SandboxWorkerHandle['kind'] {
    return this.worker.kind;
  }

  /** @internal The worker the instance lives on (the pool's bookkeeping). */
  get currentWorker(): SandboxWorkerHandle {
    return this.worker;
  }

  get disposed(): boolean {
    return this.disposing !== undefined;
  }

  /** Why the sandbox was retired, if it was (the error that retired it). */
  get discardedReason(): ErrorPayload | undefined {
    return this.discardedBy;
  }

  /** Runs `instance[method](...args)` in the guest and resolves with its (awaited) result. */
  call(method: string, args: unknown[] = []): Promise<unknown> {
    return this.send('call', method, args);
  }

  /**
   * Runs `instance.process(item)` and resolves with every output it produced (0, 1 or many). A compressed video
   * item is decoded in the worker first; `outputEncoding` has video outputs encoded there for the trip back.
   */
  async process(item: unknown, outputEncoding?: VideoEncoding): Promise<unknown[]> {
    return (await this.processCoded(item, outputEncoding)).items;
  }

  /** `process`, with the time the worker spent decoding the input and encoding the outputs. */
  async processCoded(item: unknown, outputEncoding?: VideoEncoding): Promise<CodedOutputs> {
    if (usesCodecs(item, outputEncoding)) await this.loadCodecs();
    return (await this.send('process', 'process', [item], outputEncoding)) as CodedOutputs;
  }

  /** Before the first compressed frame: the worker's codecs loaded under their own budget, not the frame's. */
  private async loadCodecs(): Promise<void> {
    if (this.refusal('process') !== undefined || this.parked !== undefined) return;
    const context = { tenant: this.host.tenant, nodeName: this.nodeName, method: 'process', limitMs: CODEC_LOAD_BUDGET_MS };
    try {
      await this.worker.loadCodecs(this.id, { ...context, budgetMs: CODEC_LOAD_BUDGET_MS });
    } catch {
      // The frame's own call loads them then, or fails as it would have (a lost worker, a closed pool).
    }
  }

  /** Runs `instance.flush()` and resolves with every output it produced, as `process` does. */
  async flush(): Promise<unknown[]> {
    return ((await this.send('process', 'flush', [])) as CodedOutputs).items;
  }

  /** The instance's own enumerable fields, as host values (enough to recreate it with `state`). */
  snapshot(): Promise<unknown> {
    return this.request({ type: 'snapshot', sandboxId: this.id }, 'snapshot', this.host.limits.callTimeoutMs);
  }

  /** Bytes the guest's QuickJS runtime has allocated. */
  async memoryUsage(): Promise<number> {
    return (await this.request({ type: 'memory', sandboxId: this.id }, 'memoryUsage', this.host.limits.callTimeoutMs)) as number;
  }

  /** Frees the instance. Idempotent; calls still in flight are rejected with Disposed. */
  dispose(): Promise<void> {
    this.disposing ??= this.disposeOnce();
    return this.disposing;
  }

  /** @internal Console entries routed here by the pool; a throwing listener cannot break the sandbox. */
  deliverConsole(entries: ConsoleEntry[]): void {
    if (this.onConsoleListener === undefined) return;
    for (const entry of entries) {
      try {
        this.onConsoleListener(entry);
      } catch {
        // The listener is the caller's code; its failure is not the sandbox's.
      }
    }
  }

  /** @internal The instance is gone for good (it caused its worker's loss, or could not be re-created). */
  markLost(payload: ErrorPayload): void {
    this.discardedBy ??= payload;
    this.resume();
  }

  /** @internal The pool is re-creating the instance elsewhere: hold calls until `resume`. */
  suspend(): void {
    this.parked ??= [];
  }

  /** @internal Runs the held calls, on `worker` when the instance now lives there. */
  resume(worker?: SandboxWorkerHandle): void {
    if (worker !== undefined) this.worker = worker;
    const parked = this.parked ?? [];
    this.parked = undefined;
    for (const run of parked) run();
  }

  /** @internal The pool is closing: reject in-flight calls with `error` and refuse new ones. */
  close(error: Error): void {
    this.closedWith ??= error;
    this.disposing ??= Promise.resolve();
    this.rejectInflight(error);
    this.parked = undefined;
  }

  private send(mode: 'call' | 'process', method: string, args: unknown[], outputEncoding?: VideoEncoding): Promise<unknown> {
    if (!this.methods.includes(method)) {
      const refusal = this.refusal(method);
      if (refusal !== undefined) return Promise.reject(refusal);
      return Promise.reject(
        new RemoteError({
          code: ErrorCode.UnknownMethod,
          name: 'TypeError',
          message: `${this.nodeName} has no method "${method}"; it has: ${this.methods.join(', ') || '(none)'}`,
          nodeName: this.nodeName,
          method,
        }),
      );
    }
    const request = outputEncoding === undefined ? { mode } : { mode, outputEncoding };
    return this.request({ type: 'call', sandboxId: this.id, method, args, ...request }, method, this.host.limits.callTimeoutMs);
  }

  private refusal(method: string): Error | undefined {
    if (this.closedWith !== undefined) return this.closedWith;
    if (this.disposing !== undefined) {
      return new RemoteMediaError(ErrorCode.Disposed, `sandbox ${this.nodeName} (${this.id}) has been disposed`);
    }
    if (this.discardedBy !== undefined) {
      return new RemoteError({
        code: ErrorCode.SandboxDiscarded,
        message: `sandbox ${this.nodeName} was discarded because ${discardReason(this.discardedBy)} (${this.discardedBy.code}: ${this.discardedBy.message})`,
        nodeName: this.nodeName,
        method,
      });
    }
    return undefined;
  }

  private request(message: Parameters<SandboxWorkerHandle['request']>[0], method: string, budgetMs: number): Promise<unknown> {
    const refusal = this.refusal(method);
    if (refusal !== undefined) return Promise.reject(refusal);
    const context = { tenant: this.host.tenant, nodeName: this.nodeName, method, limitMs: budgetMs, budgetMs: budgetMs + this.host.overheadMs };
    const id = this.nextCall++;
    const reply = this.inflight.wait(id);
    const attempt = (): void => {
      if (!this.inflight.has(id)) return;
      const refused = this.refusal(method);
      if (refused !== undefined) {
        this.inflight.reject(id, refused);
        return;
      }
      if (this.parked !== undefined) {
        this.parked.push(attempt);
        return;
      }
      this.worker.request(message, context).then(
        (value) => this.inflight.resolve(id, value),
        (error: unknown) => {
          if (!this.inflight.has(id)) return;
          // It never ran: by now the pool has either suspended this sandbox (it is being re-created, so the
          // request waits for the new instance) or discarded it (refused just above on the next attempt).
          if (error instanceof RequestNotStarted) attempt();
          else this.inflight.reject(id, this.toError(error, method));
        },
      );
    };
    attempt();
    return reply;
  }

  private toError(error: unknown, method: string): Error {
    if (error instanceof WorkerFailure) {
      if (error.discarded && error.payload.code !== ErrorCode.SandboxDiscarded) this.discardedBy ??= error.payload;
      return new RemoteError({ ...error.payload, nodeName: error.payload.nodeName ?? this.nodeName, method: error.payload.method ?? method });
    }
    if (error instanceof RemoteError && error.code === ErrorCode.SandboxCrashed) {
      this.discardedBy ??= { code: error.code, message: error.remoteMessage, nodeName: this.nodeName, method };
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private rejectInflight(error: Error): void {
    this.inflight.rejectAll(error);
  }

  private async disposeOnce(): Promise<void> {
    this.rejectInflight(new RemoteMediaError(ErrorCode.Disposed, `sandbox ${this.nodeName} (${this.id}) was disposed during the call`));
    this.host.forget(this);
    this.parked = undefined;
    if (this.worker.alive) {
      try {
        await this.worker.request(
          { type: 'dispose', sandboxId: this.id },
          { tenant: this.host.tenant, nodeName: this.nodeName, method: 'dispose', limitMs: this.host.overheadMs, budgetMs: this.host.overheadMs },
        );
      } catch {
        // The worker is gone or the sandbox already retired: nothing is left to free.
      }
    }
  }
}
