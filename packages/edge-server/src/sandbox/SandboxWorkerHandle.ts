import type { Worker } from 'node:worker_threads';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import { ErrorCode, RemoteError, type ErrorPayload } from '@remotemedia/shared/errors';
import type { WasmModule } from './quickjsWasm.ts';
import { RequestNotStarted } from './RequestNotStarted.ts';
import { TenantQueues } from './TenantQueues.ts';
import type { ConsoleEntry, HostToWorker, SandboxWorkerData, WorkerToHost } from './workerProtocol.ts';

/** Distributes a request's `id` so callers need not invent one. */
type Request = HostToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

/** What a rejection callback may know about a request. */
export interface PendingInfo {
  sandboxId: string;
  nodeName: string;
  method: string;
}

/** Who a request is for and how long it may run. */
export interface RequestContext {
  /** The session the sandbox belongs to: requests are scheduled fairly between tenants. */
  tenant: string;
  nodeName: string;
  method: string;
  /** The guest's own time limit for this request, as the user configured it (named in a timeout message). */
  limitMs: number;
  /** How long the worker may spend on it (limit plus marshaling overhead) before the watchdog's grace starts. */
  budgetMs: number;
}

interface Job extends PendingInfo {
  message: Request;
  context: RequestContext;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** When it was posted to the worker. */
  startedAt: number;
}

/** Why a worker was lost, and which sandbox's request was running at the time. */
export interface WorkerLoss {
  reason: string;
  /**
   * The sandbox whose request the worker was running: it caused the loss (it would not yield to its deadline,
   * or it crashed the thread). Its request is answered with `payload`; every other sandbox on the worker is a
   * bystander. Undefined when the worker died idle.
   */
  culprit: { sandboxId: string; tenant: string; payload: ErrorPayload } | undefined;
}

export interface SandboxWorkerHandleOptions {
  wasmModule: WasmModule;
  edgeModules: Readonly<Record<string, string>>;
  allowFaultInjection: boolean;
  /** Time past a request's own budget before the worker is declared hung and terminated. */
  watchdogGraceMs: number;
  onConsole: (sandboxId: string, entries: ConsoleEntry[]) => void;
  /**
   * The worker died or was terminated; every sandbox it hosted is gone. Called before any request is rejected,
   * so the pool can mark bystanders as being re-created before their callers see RequestNotStarted.
   */
  onLost: (handle: SandboxWorkerHandle, loss: WorkerLoss) => void;
}

/** Worker threads need a V8 stack comfortably larger than QuickJS's, so QuickJS reports the overflow first. */
const WORKER_STACK_MB = 16;
const WATCHDOG_TICK_MS = 50;

const workerUrl = siblingModule(import.meta.url, 'SandboxWorker');

/**
 * Host-side end of one sandbox worker thread: request scheduling, bookkeeping and the hang watchdog.
 *
 * The worker is given one request at a time. The rest wait here, in one queue per tenant served round robin,
 * so a session that pipelines many slow calls delays another session's call by at most one of its own. And
 * when the worker has to be terminated, exactly one request was running in it: its sandbox is the culprit,
 * and every waiting request is known not to have run, so it can be sent again elsewhere.
 */
export class SandboxWorkerHandle {
  readonly sandboxIds = new Set<string>();
  /** 'quarantine': the worker that hosts sessions whose code already got a worker terminated. */
  readonly kind: 'shared' | 'quarantine';
  private readonly worker: Worker;
  private readonly waiting = new TenantQueues<Job>();
  private running: (Job & { id: number }) | undefined;
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private ready = false;
  private lost = false;

  constructor(
    private readonly options: SandboxWorkerHandleOptions,
    kind: 'shared' | 'quarantine' = 'shared',
  ) {
    this.kind = kind;
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
    this.worker.on('error', (error) => this.fail(`the sandbox worker failed: ${error.message}`, false));
    this.worker.on('exit', (code) => this.fail(`the sandbox worker exited with code ${code}`, false));
    this.watchdog = setInterval(() => this.checkWatchdog(), WATCHDOG_TICK_MS);
    this.watchdog.unref();
  }

  get alive(): boolean {
    return !this.lost;
  }

  /** Requests waiting or running; used for least-loaded placement. */
  get load(): number {
    return this.waiting.size + (this.running === undefined ? 0 : 1);
  }

  request(message: Request, context: RequestContext): Promise<unknown> {
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
    return new Promise((resolve, reject) => {
      this.waiting.push(context.tenant, {
        message,
        context,
        resolve,
        reject,
        sandboxId: message.sandboxId,
        nodeName: context.nodeName,
        method: context.method,
        startedAt: 0,
      });
      this.dispatch();
    });
  }

  /** Rejects everything running or waiting with `error` and stops the thread. */
  async terminate(error: (p: PendingInfo) => Error): Promise<void> {
    this.lost = true;
    clearInterval(this.watchdog);
    const running = this.running;
    this.running = undefined;
    if (running !== undefined) running.reject(error(running));
    for (const job of this.waiting.drain()) job.reject(error(job));
    await this.worker.terminate();
  }

  /** Posts the next request in turn, if the worker is free. */
  private dispatch(): void {
    while (this.ready && !this.lost && this.running === undefined) {
      const job = this.waiting.shift();
      if (job === undefined) return;
      const id = this.nextId++;
      try {
        this.worker.postMessage({ ...job.message, id } as HostToWorker);
      } catch (error) {
        // Structured clone refused the arguments (a function, a host object): nothing reached the worker.
        job.reject(
          new RemoteError({
            code: ErrorCode.InvalidInput,
            name: error instanceof Error ? error.name : 'DataCloneError',
            message: `cannot pass these arguments into the sandbox: ${error instanceof Error ? error.message : String(error)}`,
            nodeName: job.nodeName,
            method: job.method,
          }),
        );
        continue;
      }
      job.startedAt = Date.now();
      this.running = { ...job, id };
    }
  }

  private onMessage(msg: WorkerToHost): void {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.dispatch();
        return;
      case 'console':
        this.options.onConsole(msg.sandboxId, msg.entries);
        return;
      case 'result': {
        const job = this.running;
        if (job === undefined || job.id !== msg.id) return;
        this.running = undefined;
        if (msg.ok) job.resolve(msg.value);
        else job.reject(new WorkerFailure(msg.error, msg.discarded));
        this.dispatch();
        return;
      }
    }
  }

  private checkWatchdog(): void {
    const job = this.running;
    if (job === undefined) return;
    const elapsed = Date.now() - job.startedAt;
    if (elapsed <= job.context.budgetMs + this.options.watchdogGraceMs) return;
    this.fail(
      `the sandbox worker stopped responding: ${job.nodeName}.${job.method} ran ${elapsed} ms, past its ${job.context.budgetMs} ms limit and ${this.options.watchdogGraceMs} ms grace, so the worker was terminated`,
      true,
    );
  }

  /**
   * Involuntary loss. The running request's sandbox is the culprit: a hang is reported as the time limit it
   * broke (SandboxTimeout), a dead thread as SandboxCrashed. Waiting requests never ran: RequestNotStarted.
   */
  private fail(reason: string, hung: boolean): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.watchdog);
    const running = this.running;
    this.running = undefined;
    const waiting = this.waiting.drain();
    let culprit: WorkerLoss['culprit'];
    if (running !== undefined) {
      const elapsed = Date.now() - running.startedAt;
      const payload: ErrorPayload = hung
        ? {
            code: ErrorCode.SandboxTimeout,
            message: `${running.method} did not finish within ${running.context.limitMs} ms and did not stop when interrupted (a long native operation such as a huge fill, indexOf or sort does not check the deadline), so its worker was stopped after ${elapsed} ms and this sandbox discarded; split such work into smaller calls`,
            nodeName: running.nodeName,
            method: running.method,
          }
        : { code: ErrorCode.SandboxCrashed, message: reason, nodeName: running.nodeName, method: running.method };
      culprit = { sandboxId: running.sandboxId, tenant: running.context.tenant, payload };
    }
    this.options.onLost(this, { reason, culprit });
    if (running !== undefined) running.reject(new RemoteError(culprit!.payload));
    for (const job of waiting) job.reject(new RequestNotStarted(reason));
    void this.worker.terminate();
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
