import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { ownedTransferables } from '../workers/ownedTransferables.ts';
import { siblingModule, startWorker } from '../workers/startWorker.ts';
import { PendingRequests } from '@remotemedia/shared/rpc';
import { ErrorCode, RemoteError, type ErrorPayload } from '@remotemedia/shared/errors';
import type { GuestBundle } from './bundle/buildGuestBundle.ts';
import type { WasmModule } from './quickjsWasm.ts';
import { BusyMeter } from './BusyMeter.ts';
import { RequestCosts } from './RequestCosts.ts';
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
  /** When the worker started on it, as far as the host knows (0 until then): the watchdog's clock. */
  startedAt: number;
  /** What it is expected to cost the worker (RequestCosts), counted while it is at the worker. */
  costMs: number;
  kind: HostToWorker['type'];
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
  /** Memory size (WASM pages) of the pool's default sandbox, kept warm in the worker. */
  warmPages: number;
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
/**
 * Work (by RequestCosts' estimate) that may wait at a worker behind the request it runs. Only requests seen to
 * be cheap are sent ahead, so the worker goes from one to the next without a round trip to the main thread,
 * while another session's next request still waits for little more than the one running.
 */
export const PIPELINE_BUDGET_MS = 2;
/** Requests at a worker at once, whatever their cost. */
const MAX_AT_WORKER = 32;

const workerUrl = siblingModule(import.meta.url, 'SandboxWorker');

/**
 * Host-side end of one sandbox worker thread: request scheduling, bookkeeping and the hang watchdog.
 *
 * Requests wait here, in one queue per tenant served round robin, so a session that pipelines many slow calls
 * delays another session's call by at most one of its own. The worker runs the requests it is given strictly in
 * order and posts each result before it starts the next. Most of the time it is given one at a time; a request
 * known to be cheap (RequestCosts: the same method of the same sandbox took little the last time) is also sent
 * while others are at the worker, within PIPELINE_BUDGET_MS of expected work, which spares the worker a round
 * trip to the main thread per call. Requests of unknown or large cost are sent only to an idle worker.
 *
 * So the request the worker runs is always the oldest one at the worker without a result, once the results
 * already posted are read (they come on a port of their own, which the watchdog and the loss handling drain
 * synchronously first). When the worker has to be terminated, that request's sandbox is the culprit, and every
 * other request at the worker or waiting here is known not to have run, so it can be sent again elsewhere.
 * Replies are matched to requests by id (PendingRequests), each request's promise settled exactly once.
 */
export class SandboxWorkerHandle {
  readonly sandboxIds = new Set<string>();
  /** 'quarantine': the worker that hosts sessions whose code already got a worker terminated. */
  readonly kind: 'shared' | 'quarantine';
  private readonly worker: Worker;
  private readonly waiting = new TenantQueues<Queued>();
  private readonly pending = new PendingRequests<number, unknown, JobInfo>();
  /** Ids of the requests at the worker, in the order it runs them: the first is the one it runs now. */
  private readonly atWorker: number[] = [];
  private atWorkerCostMs = 0;
  private readonly costs = new RequestCosts();
  /** Where the worker posts results, console output and readiness; read synchronously before any verdict. */
  private readonly results: MessagePort;
  private readonly watchdog: NodeJS.Timeout;
  private nextId = 1;
  private codecsLoad: Promise<unknown> | undefined;
  private ready = false;
  private lost = false;
  private dispatchQueued = false;
  /** Time the worker spent on requests, as it measured them. */
  private readonly busy = new BusyMeter();

  constructor(
    private readonly options: SandboxWorkerHandleOptions,
    kind: 'shared' | 'quarantine' = 'shared',
  ) {
    this.kind = kind;
    const channel = new MessageChannel();
    this.results = channel.port1;
    const data: SandboxWorkerData = {
      wasmModule: options.wasmModule,
      allowFaultInjection: options.allowFaultInjection,
      guest: options.guest,
      results: channel.port2,
      warmPages: options.warmPages,
    };
    this.worker = startWorker(workerUrl, {
      workerData: data,
      transferList: [channel.port2],
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
    });
    this.results.on('message', (msg: WorkerToHost) => this.onMessage(msg));
    this.worker.on('error', (error) => this.fail(`the sandbox worker failed: ${error.message}`, false));
    this.worker.on('exit', (code) => this.fail(`the sandbox worker exited with code ${code}`, false));
    this.watchdog = setInterval(() => this.checkWatchdog(), WATCHDOG_TICK_MS);
    this.watchdog.unref();
  }

  get alive(): boolean {
    return !this.lost;
  }

  /** Requests waiting or at the worker; used for least-loaded placement. */
  get load(): number {
    return this.waiting.size + this.atWorker.length;
  }

  /** Requests waiting here for their turn (not yet sent to the worker). */
  get queued(): number {
    return this.waiting.size;
  }

  /** Seconds the worker spent running requests since it started. */
  get busySeconds(): number {
    return this.busy.totalSeconds;
  }

  /** Requests sent to the worker and not answered yet (the first of them running). */
  get atWorkerCount(): number {
    return this.atWorker.length;
  }

  /** Recent busy share of one core (0 to 1) with calls, the call running now included: for placement. */
  busyShare(now = Date.now()): number {
    const running = this.runningJob();
    return this.busy.share(now, running?.kind !== 'call' || running.startedAt === 0 ? 0 : now - running.startedAt);
  }

  /**
   * Has the worker load its video codecs, once, under a budget of their own (see the `codecs` request); a
   * sandbox asks before its first compressed frame so that frame's own budget is not spent on it.
   */
  loadCodecs(sandboxId: string, context: RequestContext): Promise<unknown> {
    this.codecsLoad ??= this.request({ type: 'codecs', sandboxId }, context);
    return this.codecsLoad;
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
    const costMs = message.type === 'call' ? this.costs.estimateMs(message.sandboxId, message.method) : Number.POSITIVE_INFINITY;
    if (message.type === 'dispose') this.costs.forget(message.sandboxId);
    const reply = this.pending.wait(id, {
      meta: { sandboxId: message.sandboxId, nodeName: context.nodeName, method: context.method, context, startedAt: 0, costMs, kind: message.type },
    });
    this.waiting.push(context.tenant, { id, message });
    // Dispatched once per turn of the event loop: requests that arrive together go to the worker in one message.
    if (!this.dispatchQueued) {
      this.dispatchQueued = true;
      queueMicrotask(() => {
        this.dispatchQueued = false;
        this.dispatch();
      });
    }
    return reply;
  }

  /** Rejects everything running or waiting with `error` and stops the thread. */
  async terminate(error: (p: PendingInfo) => Error): Promise<void> {
    this.lost = true;
    clearInterval(this.watchdog);
    this.settleAll((_id, info) => error(info));
    this.results.close();
    await this.worker.terminate();
  }

  /** Sends the requests next in turn that fit: any to an idle worker, cheap ones within the pipeline budget. */
  private dispatch(): void {
    if (!this.ready || this.lost) return;
    const batch: Array<{ id: number; info: JobInfo; message: HostToWorker }> = [];
    while (this.atWorker.length + batch.length < MAX_AT_WORKER) {
      const next = this.waiting.peek();
      if (next === undefined) break;
      const info = this.pending.meta(next.id);
      if (info !== undefined) {
        const idle = this.atWorker.length === 0 && batch.length === 0;
        if (!idle && this.atWorkerCostMs + info.costMs > PIPELINE_BUDGET_MS) break;
        this.atWorkerCostMs += info.costMs;
        batch.push({ id: next.id, info, message: { ...next.message, id: next.id } as HostToWorker });
      }
      this.waiting.shift();
    }
    if (batch.length === 0) return;
    try {
      // A frame moves into the worker instead of being copied; the session does not read it afterwards.
      this.worker.postMessage(
        batch.map((job) => job.message),
        batch.flatMap((job) => transferablesOf(job.message)),
      );
      this.sent(batch);
    } catch {
      // Structured clone refused some request's arguments and nothing was sent: send them one by one to find it.
      for (const job of batch) {
        try {
          this.worker.postMessage([job.message], transferablesOf(job.message));
          this.sent([job]);
        } catch (error) {
          this.pending.reject(
            job.id,
            new RemoteError({
              code: ErrorCode.InvalidInput,
              name: error instanceof Error ? error.name : 'DataCloneError',
              message: `cannot pass these arguments into the sandbox: ${error instanceof Error ? error.message : String(error)}`,
              nodeName: job.info.nodeName,
              method: job.info.method,
            }),
          );
        }
      }
      this.recountCost();
    }
  }

  /** Expected work at the worker, summed again (a few entries) rather than kept by subtraction of Infinity. */
  private recountCost(): void {
    let sum = 0;
    for (const id of this.atWorker) sum += this.pending.meta(id)?.costMs ?? 0;
    this.atWorkerCostMs = sum;
  }

  private sent(jobs: Array<{ id: number; info: JobInfo }>): void {
    for (const { id, info } of jobs) {
      if (this.atWorker.length === 0) info.startedAt = Date.now();
      this.atWorker.push(id);
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
        if (this.atWorker[0] !== msg.id) return;
        this.atWorker.shift();
        const info = this.pending.meta(msg.id);
        this.busy.add(msg.ms, Date.now(), info?.kind === 'call');
        if (msg.ok && info?.kind === 'call') this.costs.record(info.sandboxId, info.method, msg.ms);
        // The worker posted this result before starting the next request: that one's clock starts now.
        const next = this.atWorker[0] === undefined ? undefined : this.pending.meta(this.atWorker[0]);
        if (next !== undefined) next.startedAt = Date.now();
        this.recountCost();
        if (msg.ok) this.pending.resolve(msg.id, msg.value);
        else this.pending.reject(msg.id, new WorkerFailure(msg.error, msg.discarded));
        this.dispatch();
        return;
      }
    }
  }

  /** Handles what the worker already posted, so the first request at the worker is the one it runs now. */
  private drainResults(): void {
    for (let msg = receiveMessageOnPort(this.results); msg !== undefined && !this.lost; msg = receiveMessageOnPort(this.results)) {
      this.onMessage(msg.message as WorkerToHost);
    }
  }

  private checkWatchdog(): void {
    this.drainResults();
    const job = this.runningJob();
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
    this.drainResults();
    this.lost = true;
    clearInterval(this.watchdog);
    const running = this.runningJob();
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
    this.results.close();
    void this.worker.terminate();
  }

  private runningJob(): JobInfo | undefined {
    return this.atWorker[0] === undefined ? undefined : this.pending.meta(this.atWorker[0]);
  }

  /** Rejects every request, running or waiting, with the error made for it (in the order they were made). */
  private settleAll(errorFor: (id: number, info: JobInfo) => Error): void {
    this.atWorker.length = 0;
    this.atWorkerCostMs = 0;
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

/** The buffers of a frame for `process` that belong to that message alone (see ownedTransferables). */
function transferablesOf(message: HostToWorker): ArrayBuffer[] {
  return message.type === 'call' && message.mode === 'process' ? ownedTransferables(message.args[0]) : [];
}
