import type { Worker } from 'node:worker_threads';
import { ownedTransferables } from '../workers/ownedTransferables.ts';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import { PendingRequests } from '@remotemedia/shared/rpc';
import { ErrorCode, RemoteError, type ErrorPayload } from '@remotemedia/shared/errors';
import type { GuestBundle } from './bundle/buildGuestBundle.ts';
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

/** What is kept with each request until it is answered. */
interface JobInfo extends PendingInfo {
  context: RequestContext;
  /** When it was posted to the worker (0 while it waits). */
  startedAt: number;
}

/** A request waiting for its turn: its id in `pending`, and the message to post. */
interface Queued {
  id: number;
  message: Request;
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
  guest: GuestBundle;
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
 * and every waiting request is known not to have run, so it can be sent again elsewhere. Replies are matched to
 * requests by id (PendingRequests), each request's promise settled exactly once.
 */
export class SandboxWorkerHandle {
  readonly sandboxIds = new Set<string>();
  /** 'quarantine': the worker that hosts sessions whose code already got a worker terminated. */
  readonly kind: 'shared' | 'quarantine';
  private readonly worker: Worker;
  private readonly waiting = new TenantQueues<Queued>();
  private readonly pending = new PendingRequests<number, unknown, JobInfo>();
  /** The id of the request the worker runs now. */
  private running: number | undefined;
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
      guest: options.guest,
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
    const id = this.nextId++;
    const reply = this.pending.wait(id, {
      meta: { sandboxId: message.sandboxId, nodeName: context.nodeName, method: context.method, context, startedAt: 0 },
    });
    this.waiting.push(context.tenant, { id, message });
    this.dispatch();
    return reply;
  }

  /** Rejects everything running or waiting with `error` and stops the thread. */
  async terminate(error: (p: PendingInfo) => Error): Promise<void> {
    this.lost = true;
    clearInterval(this.watchdog);
    this.settleAll((_id, info) => error(info));
    await this.worker.terminate();
  }

  /** Posts the next request in turn, if the worker is free. */
  private dispatch(): void {
    while (this.ready && !this.lost && this.running === undefined) {
      const job = this.waiting.shift();
      if (job === undefined) return;
      const info = this.pending.meta(job.id);
      if (info === undefined) continue;
      try {
        // A frame moves into the worker instead of being copied; the session does not read it afterwards.
        const transfer = job.message.type === 'call' && job.message.mode === 'process' ? ownedTransferables(job.message.args[0]) : [];
        this.worker.postMessage({ ...job.message, id: job.id } as HostToWorker, transfer);
      } catch (error) {
        // Structured clone refused the arguments (a function, a host object): nothing reached the worker.
        this.pending.reject(
          job.id,
          new RemoteError({
            code: ErrorCode.InvalidInput,
            name: error instanceof Error ? error.name : 'DataCloneError',
            message: `cannot pass these arguments into the sandbox: ${error instanceof Error ? error.message : String(error)}`,
            nodeName: info.nodeName,
            method: info.method,
          }),
        );
        continue;
      }
      info.startedAt = Date.now();
      this.running = job.id;
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
        if (this.running === undefined || this.running !== msg.id) return;
        this.running = undefined;
        if (msg.ok) this.pending.resolve(msg.id, msg.value);
        else this.pending.reject(msg.id, new WorkerFailure(msg.error, msg.discarded));
        this.dispatch();
        return;
      }
    }
  }

  private checkWatchdog(): void {
    const job = this.running === undefined ? undefined : this.pending.meta(this.running);
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
    const running = this.running === undefined ? undefined : this.pending.meta(this.running);
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
    this.settleAll((_id, info) => (info === running ? new RemoteError(culprit!.payload) : new RequestNotStarted(reason)));
    void this.worker.terminate();
  }

  /** Rejects every request, running or waiting, with the error made for it (in the order they were made). */
  private settleAll(errorFor: (id: number, info: JobInfo) => Error): void {
    this.running = undefined;
    this.waiting.drain();
    this.pending.rejectAll(errorFor);
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
