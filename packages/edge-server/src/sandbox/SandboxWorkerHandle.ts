import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import { ErrorCode, RemoteError, type ErrorPayload } from '@remotemedia/shared/errors';
import type { WasmModule } from './quickjsWasm.ts';
import type { ConsoleEntry, HostToWorker, SandboxWorkerData, WorkerToHost } from './workerProtocol.ts';

/** Distributes a request's `id` so callers need not invent one. */
type Request = HostToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

/** What a rejection callback may know about a request. */
export interface PendingInfo {
  sandboxId: string;
  nodeName: string;
  method: string;
}

interface Pending extends PendingInfo {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** How long the worker may spend on this request before the watchdog gives up on it. */
  budgetMs: number;
  /** When the worker started on it (requests run in order, so only the oldest one is running). */
  startedAt: number | undefined;
}

export interface SandboxWorkerHandleOptions {
  wasmModule: WasmModule;
  edgeModules: Readonly<Record<string, string>>;
  allowFaultInjection: boolean;
  /** Time past a request's own budget before the worker is declared hung and terminated. */
  watchdogGraceMs: number;
  onConsole: (sandboxId: string, entries: ConsoleEntry[]) => void;
  /** The worker died or was terminated; every sandbox it hosted is gone. */
  onLost: (handle: SandboxWorkerHandle, sandboxIds: string[], reason: string) => void;
}

/** Worker threads need a V8 stack comfortably larger than QuickJS's, so QuickJS reports the overflow first. */
const WORKER_STACK_MB = 16;
const WATCHDOG_TICK_MS = 50;

const workerUrl = siblingModule(import.meta.url, 'SandboxWorker');

/** Host-side end of one sandbox worker thread: request/response bookkeeping and the hang watchdog. */
export class SandboxWorkerHandle {
  readonly sandboxIds = new Set<string>();
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private ready = false;
  private lost = false;

  constructor(private readonly options: SandboxWorkerHandleOptions) {
    const data: SandboxWorkerData = {
      wasmModule: options.wasmModule,
      allowFaultInjection: options.allowFaultInjection,
      edgeModules: options.edgeModules,
    };
    this.worker = startWorker(workerUrl, {
      workerData: data,
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    });
    this.worker.on('message', (msg: WorkerToHost) => this.onMessage(msg));
    this.worker.on('error', (error) => this.fail(`the sandbox worker failed: ${error.message}`));
    this.worker.on('exit', (code) => this.fail(`the sandbox worker exited with code ${code}`));
    this.watchdog = setInterval(() => this.checkWatchdog(), WATCHDOG_TICK_MS);
    this.watchdog.unref();
  }

  get alive(): boolean {
    return !this.lost;
  }

  /** Requests queued or running in the worker; used for least-loaded placement. */
  get load(): number {
    return this.pending.size;
  }

  request(message: Request, context: { nodeName: string; method: string; budgetMs: number }): Promise<unknown> {
    if (this.lost) {
      return Promise.reject(
        new RemoteError({
          code: ErrorCode.SandboxCrashed,
          message: 'the sandbox worker is gone',
          nodeName: context.nodeName,
          method: context.method,
        }),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const startsNow = this.ready && this.pending.size === 0;
      this.pending.set(id, {
        resolve,
        reject,
        sandboxId: message.sandboxId,
        nodeName: context.nodeName,
        method: context.method,
        budgetMs: context.budgetMs,
        startedAt: startsNow ? Date.now() : undefined,
      });
      try {
        this.worker.postMessage({ ...message, id } as HostToWorker);
      } catch (error) {
        // Structured clone refused the arguments (a function, a host object): nothing reached the worker.
        this.pending.delete(id);
        reject(
          new RemoteError({
            code: ErrorCode.InvalidInput,
            name: error instanceof Error ? error.name : 'DataCloneError',
            message: `cannot pass these arguments into the sandbox: ${error instanceof Error ? error.message : String(error)}`,
            nodeName: context.nodeName,
            method: context.method,
          }),
        );
      }
    });
  }

  /** Rejects everything in flight with `error` and stops the thread. */
  async terminate(error: (p: PendingInfo) => Error): Promise<void> {
    this.lost = true;
    clearInterval(this.watchdog);
    for (const p of this.pending.values()) p.reject(error(p));
    this.pending.clear();
    await this.worker.terminate();
  }

  private onMessage(msg: WorkerToHost): void {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.startHead();
        return;
      case 'console':
        this.options.onConsole(msg.sandboxId, msg.entries);
        return;
      case 'result': {
        const p = this.pending.get(msg.id);
        if (p === undefined) return;
        this.pending.delete(msg.id);
        this.startHead();
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new WorkerFailure(msg.error, msg.discarded));
        return;
      }
    }
  }

  /** The oldest pending request is the one the worker is now running. */
  private startHead(): void {
    const head = this.pending.values().next();
    if (!head.done && head.value.startedAt === undefined) head.value.startedAt = Date.now();
  }

  private checkWatchdog(): void {
    const head = this.pending.values().next();
    if (head.done || head.value.startedAt === undefined) return;
    const elapsed = Date.now() - head.value.startedAt;
    if (elapsed <= head.value.budgetMs + this.options.watchdogGraceMs) return;
    this.fail(
      `the sandbox worker stopped responding: ${head.value.nodeName}.${head.value.method} ran ${elapsed} ms, past its ${head.value.budgetMs} ms limit and ${this.options.watchdogGraceMs} ms grace, so the worker was terminated`,
      head.value.sandboxId,
    );
  }

  /** Involuntary loss: reject in-flight work with SandboxCrashed, stop the thread, tell the pool. */
  private fail(reason: string, culprit?: string): void {
    if (this.lost) return;
    const ids = [...this.sandboxIds];
    void this.terminate(
      (p) =>
        new RemoteError({
          code: ErrorCode.SandboxCrashed,
          message: culprit === undefined || culprit === p.sandboxId ? reason : `${reason} (while running another sandbox on the same worker)`,
          nodeName: p.nodeName,
          method: p.method,
        }),
    );
    this.options.onLost(this, ids, reason);
  }
}

/** A failure reported by the worker, still in wire shape; `discarded` marks the sandbox as retired. */
export class WorkerFailure extends Error {
  constructor(
    readonly payload: ErrorPayload,
    readonly discarded: boolean,
  ) {
    super(payload.message);
    this.name = 'WorkerFailure';
  }
}
