import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import { createLogger, type Logger } from '../log/Logger.ts';
import type { GuestBundle } from './bundle/buildGuestBundle.ts';
import { loadGuestBundle } from './bundle/loadGuestBundle.ts';
import { checkPackage } from './checkPackage.ts';
import { shareRefusal, type FairShare } from './FairShare.ts';
import { NodeSandbox } from './NodeSandbox.ts';
import { compileQuickJSWasm, type WasmModule } from './quickjsWasm.ts';
import { isRecoverable, recoverSandbox, type PoolEntry, type Recipe, type RecoveryHost } from './recoverSandbox.ts';
import type { CreateSandboxOptions, SandboxPoolOptions, SandboxPoolStats } from './SandboxPoolOptions.ts';
import { CALL_OVERHEAD_MS, CREATE_OVERHEAD_MS } from './requestBudgets.ts';
import { RequestNotStarted } from './RequestNotStarted.ts';
import { resolveSandboxLimits, wasmPagesFor, type SandboxLimits } from './SandboxLimits.ts';
import { SandboxWorkerHandle, WorkerFailure, type WorkerLoss } from './SandboxWorkerHandle.ts';
import { TenantLedger } from './TenantLedger.ts';
import { WorkerSet } from './WorkerSet.ts';

const DEFAULT_WATCHDOG_GRACE_MS = 1000;
/** Sandboxes alive at once over all sessions: at the default 32 MiB each, 4 GiB of fixed memory at most. */
export const DEFAULT_MAX_SANDBOXES = 128;
/** Percentage of maxSandboxes in use from which the fair-share rule (FairShare.ts) applies. */
export const DEFAULT_FAIR_SHARE_PERCENT = 50;
/** Workers a creation may find lost under it before it gives up (each loss was another sandbox's doing). */
const MAX_PLACEMENT_ATTEMPTS = 3;
const DEFAULT_TENANT = 'default';

/**
 * Runs user nodes in QuickJS sandboxes on a pool of worker threads, off the main event loop. Each sandbox gets
 * its own WASM instance and fixed memory; sandboxes are placed on the least-loaded worker (WorkerSet), and each
 * worker serves its sessions round robin.
 *
 * A worker that stops answering is terminated and replaced. The one sandbox whose request it was running is
 * discarded (SandboxTimeout for a hang) and its session moves to a separate quarantine worker, where it can
 * only hurt sessions that did the same. Every other sandbox of the lost worker is re-created on another worker
 * from its package (or its last snapshot), its waiting calls run there, and its owner is told (onRestored):
 * see recoverSandbox.
 */
export class SandboxPool {
  private readonly size: number;
  private readonly limits: SandboxLimits;
  private readonly watchdogGraceMs: number;
  private readonly allowFaultInjection: boolean;
  private readonly log: Logger;
  private readonly workers = new WorkerSet((kind) => this.spawn(kind));
  private readonly sandboxes = new Map<string, PoolEntry>();
  private readonly tenants = new TenantLedger();
  private started: Promise<void> | undefined;
  private runtime: { wasmModule: WasmModule; guest: GuestBundle } | undefined;
  private closing: Promise<void> | undefined;
  private restarts = 0;
  private restored = 0;
  private readonly share: FairShare;
  /** Creations under way: they hold a place against maxSandboxes before they exist. */
  private creating = 0;
  /** What recoverSandbox needs of the pool. */
  private readonly recovery: RecoveryHost = {
    instantiate: (id, tenant, recipe, method) => this.instantiate(id, tenant, recipe, method),
    assertOpen: () => this.assertOpen(),
    isClosing: () => this.closing !== undefined,
    restored: () => {
      this.restored++;
    },
  };

  constructor(options: SandboxPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    this.size = workers;
    this.limits = resolveSandboxLimits(options.limits);
    this.watchdogGraceMs = options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS;
    this.allowFaultInjection = options.allowFaultInjection ?? false;
    this.log = options.log ?? createLogger('info');
    const fromPercent = options.fairSharePercent ?? DEFAULT_FAIR_SHARE_PERCENT;
    if (!Number.isInteger(fromPercent) || fromPercent < 1 || fromPercent > 100) {
      throw new RangeError(`fairSharePercent must be an integer from 1 to 100, got ${fromPercent}`);
    }
    this.share = { max: options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES, fromPercent };
  }

  async create(options: CreateSandboxOptions): Promise<NodeSandbox> {
    this.assertOpen();
    const tenant = options.tenant ?? DEFAULT_TENANT;
    const refusal = shareRefusal(this.share, this.sandboxes.size + this.creating, this.tenants.held(tenant));
    if (refusal !== undefined) throw refusal;
    this.creating++;
    this.tenants.hold(tenant, 1);
    let created = false;
    try {
      const sandbox = await this.createCounted(options, tenant);
      created = true;
      return sandbox;
    } finally {
      this.creating--;
      if (!created) this.tenants.hold(tenant, -1);
    }
  }

  /** Whether the session's sandboxes run on the quarantine worker (its code got a worker terminated). */
  isQuarantined(tenant: string): boolean {
    return this.tenants.isQuarantined(tenant);
  }

  /** The session is gone: forget it (and its quarantine) once its last sandbox is disposed. */
  releaseTenant(tenant: string): void {
    this.tenants.release(tenant);
  }

  stats(): SandboxPoolStats {
    const workers = this.workers.stats();
    return {
      ...workers,
      sandboxes: this.sandboxes.size,
      workerRestarts: this.restarts,
      sandboxesRestored: this.restored,
      quarantine: { ...workers.quarantine, sessions: this.tenants.quarantinedCount },
    };
  }

  /** Disposes every sandbox and worker; in-flight calls reject with SessionClosed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async createCounted(options: CreateSandboxOptions, tenant: string): Promise<NodeSandbox> {
    const limits = resolveSandboxLimits(this.limits, options.limits);
    const { pkg } = options;
    checkPackage(pkg);
    const nodeName = options.nodeName ?? (pkg.manifest.exportName === 'default' ? pkg.manifest.entry : pkg.manifest.exportName);
    await this.start();
    this.assertOpen();
    const id = randomUUID();
    const restore = options.state !== undefined;
    const recipe: Recipe = { pkg, nodeName, ctorArgs: options.ctorArgs ?? [], state: options.state, restore, limits, faults: options.faults };
    const { worker, methods } = await this.instantiate(id, tenant, recipe, restore ? '<restore>' : 'constructor');
    const sandbox = new NodeSandbox({
      id,
      nodeName,
      methods,
      host: { tenant, limits, overheadMs: CALL_OVERHEAD_MS, forget: (s) => this.forget(s) },
      worker,
      onConsole: options.onConsole,
    });
    if (this.closing !== undefined) {
      sandbox.close(new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool closed while the sandbox was created'));
      throw new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool closed while the sandbox was created');
    }
    this.sandboxes.set(id, { sandbox, recipe, recoverState: options.recoverState, onRestored: options.onRestored, recovering: false });
    return sandbox;
  }

  /**
   * Builds the instance on the worker its tenant belongs on. A worker lost before the request ran (to another
   * sandbox) costs nothing but a new placement; a request that ran and failed is the guest's own error.
   */
  private async instantiate(id: string, tenant: string, recipe: Recipe, method: string): Promise<{ worker: SandboxWorkerHandle; methods: string[] }> {
    const { nodeName, limits } = recipe;
    for (let attempt = 1; ; attempt++) {
      const worker = this.workers.placeFor(this.tenants.isQuarantined(tenant));
      worker.sandboxIds.add(id);
      try {
        const created = (await worker.request(
          {
            type: 'create',
            sandboxId: id,
            nodeName,
            pkg: recipe.pkg,
            ctorArgs: recipe.ctorArgs,
            state: recipe.state,
            restore: recipe.restore,
            limits,
            faults: recipe.faults,
          },
          { tenant, nodeName, method, limitMs: limits.callTimeoutMs, budgetMs: limits.callTimeoutMs + CREATE_OVERHEAD_MS },
        )) as { methods: string[] };
        if (worker.alive) return { worker, methods: created.methods };
        // Lost right after it answered: the instance went with it.
        worker.sandboxIds.delete(id);
      } catch (error) {
        worker.sandboxIds.delete(id);
        if (error instanceof WorkerFailure) throw new RemoteError({ ...error.payload, nodeName, method: error.payload.method ?? method });
        if (!(error instanceof RequestNotStarted)) throw error;
      }
      this.assertOpen();
      if (attempt >= MAX_PLACEMENT_ATTEMPTS) {
        throw new RemoteMediaError(
          ErrorCode.SandboxCrashed,
          `${nodeName} could not be created: ${attempt} sandbox workers were lost before it could run; try again`,
          { retryable: true },
        );
      }
    }
  }

  private async closeOnce(): Promise<void> {
    const closed = (what: string) => new RemoteMediaError(ErrorCode.SessionClosed, `the sandbox pool was closed during ${what}`);
    for (const { sandbox } of this.sandboxes.values()) sandbox.close(closed('the call'));
    this.sandboxes.clear();
    await Promise.all(this.workers.takeAll().map((w) => w.terminate((p) => closed(`${p.nodeName}.${p.method}`))));
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool is closed');
  }

  /**
   * Starts the workers now instead of at the first sandbox, so the first one created (e.g. a session another
   * edge's clients resume here) does not wait for QuickJS to compile and the workers to load.
   */
  warmUp(): Promise<void> {
    return this.start();
  }

  /** Compiles QuickJS and loads the guest bundle, once, then starts the shared workers. */
  private start(): Promise<void> {
    this.started ??= compileQuickJSWasm().then((wasmModule) => {
      this.runtime = { wasmModule, guest: loadGuestBundle(this.log) };
      if (this.closing === undefined) this.workers.start(this.size);
    });
    return this.started;
  }

  private spawn(kind: SandboxWorkerHandle['kind']): SandboxWorkerHandle {
    const { wasmModule, guest } = this.runtime!;
    return new SandboxWorkerHandle(
      {
        wasmModule,
        guest,
        warmPages: wasmPagesFor(this.limits),
        allowFaultInjection: this.allowFaultInjection,
        watchdogGraceMs: this.watchdogGraceMs,
        onConsole: (sandboxId, entries) => this.sandboxes.get(sandboxId)?.sandbox.deliverConsole(entries),
        onLost: (handle, loss) => this.onLost(handle, loss),
      },
      kind,
    );
  }

  /**
   * A worker died or hung: put a fresh worker in its place, discard the culprit and quarantine its session,
   * and re-create every bystander elsewhere. Runs before the lost worker's requests are rejected.
   */
  private onLost(lost: SandboxWorkerHandle, loss: WorkerLoss): void {
    if (this.closing !== undefined) return;
    this.workers.replace(lost);
    this.restarts++;
    const { culprit } = loss;
    if (culprit !== undefined) {
      this.sandboxes.get(culprit.sandboxId)?.sandbox.markLost(culprit.payload);
      this.quarantine(culprit.tenant, culprit.payload.nodeName ?? 'a node');
    }
    const cause =
      culprit === undefined
        ? `its worker was lost (${loss.reason})`
        : culprit.payload.code === ErrorCode.SandboxTimeout
          ? 'another node on its worker would not stop at its time limit, so the worker was stopped'
          : 'another node on its worker crashed the worker';
    for (const id of lost.sandboxIds) {
      const entry = this.sandboxes.get(id);
      if (entry === undefined || id === culprit?.sandboxId || !isRecoverable(entry)) continue;
      void recoverSandbox(entry, { move: false, reason: cause }, this.recovery);
    }
  }

  /**
   * From now on the session's sandboxes run on the quarantine worker: new ones are placed there, and those
   * still on shared workers move there with their current fields (snapshot, then restore).
   */
  private quarantine(tenant: string, nodeName: string): void {
    if (tenant === DEFAULT_TENANT || !this.tenants.quarantine(tenant)) return;
    const reason = `this session's node ${nodeName} got its worker stopped, so the session's nodes now run on a separate quarantine worker`;
    for (const entry of this.sandboxes.values()) {
      const worker = entry.sandbox.currentWorker;
      if (entry.sandbox.tenant !== tenant || worker.kind !== 'shared' || !worker.alive || !isRecoverable(entry)) continue;
      void recoverSandbox(entry, { move: true, reason }, this.recovery);
    }
  }

  private forget(sandbox: NodeSandbox): void {
    const entry = this.sandboxes.get(sandbox.id);
    if (entry === undefined) return;
    this.sandboxes.delete(sandbox.id);
    sandbox.currentWorker.sandboxIds.delete(sandbox.id);
    this.tenants.hold(sandbox.tenant, -1);
  }
}
