import { createHash, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { shareRefusal, type FairShare } from './FairShare.ts';
import { PRELUDE_BUDGET_MS } from './GuestRuntime.ts';
import { NodeSandbox } from './NodeSandbox.ts';
import { compileQuickJSWasm } from './quickjsWasm.ts';
import type { WasmModule } from './quickjsWasm.ts';
import { RequestNotStarted } from './RequestNotStarted.ts';
import { resolveSandboxLimits } from './SandboxLimits.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import { edgeModules } from './edgeModules.ts';
import { SandboxWorkerHandle, WorkerFailure, type WorkerLoss } from './SandboxWorkerHandle.ts';
import type { ConsoleEntry, SandboxFaults } from './workerProtocol.ts';

export interface SandboxPoolOptions {
  /** Worker threads; defaults to the number of cores, since each runs guest code on one core. */
  workers?: number;
  /** Defaults for every sandbox; each create() may tighten or loosen them within the hard bounds. */
  limits?: Partial<SandboxLimits>;
  /**
   * How long past a request's own limit a worker may stay silent before it is terminated and replaced. Covers
   * marshaling and scheduling noise; a guest stuck where QuickJS cannot interrupt it is stopped only this way.
   */
  watchdogGraceMs?: number;
  /** Lets create() pass `faults` (tests of the watchdog). Never enable in production. */
  allowFaultInjection?: boolean;
  /**
   * Sandboxes alive (or being created) at once, over all sessions: each owns a fixed WASM memory, so this
   * bounds the edge's memory whatever the number of sessions (default 128).
   */
  maxSandboxes?: number;
  /**
   * Percentage of maxSandboxes in use from which a session may add a sandbox only while it holds fewer than
   * half of those still free (default 50; 100: only maxSandboxes applies). See FairShare.ts.
   */
  fairSharePercent?: number;
}

export interface CreateSandboxOptions {
  pkg: NodePackage;
  /** Name used in errors; defaults to the manifest's export name. */
  nodeName?: string;
  ctorArgs?: unknown[];
  /** Own fields to restore (from snapshot()) instead of calling the constructor. */
  state?: unknown;
  limits?: Partial<SandboxLimits>;
  onConsole?: (entry: ConsoleEntry) => void;
  /** Test-only; ignored unless the pool allows fault injection. */
  faults?: SandboxFaults;
  /**
   * The session that owns the sandbox. Requests are scheduled fairly between sessions, sandboxes are shared
   * between them (FairShare), and a session whose code gets a worker terminated is moved to the quarantine
   * worker. Defaults to one tenant shared by every caller that names none, which is never quarantined (that
   * would move every such sandbox onto one worker).
   */
  tenant?: string;
  /**
   * Where the instance comes back from when it is re-created after losing its worker to another sandbox:
   * `{ state }` restores those fields (a persistent node's last snapshot), undefined builds it again the way
   * it was first built (constructor arguments, or the state it was created from).
   */
  recoverState?: () => Promise<{ state: unknown } | undefined>;
  /** Told each time the instance was re-created on another worker; an event for its client, not an error. */
  onRestored?: (event: RestoredEvent) => void;
}

/** A sandbox's instance was re-created on another worker and is usable again. */
export interface RestoredEvent {
  /** 'snapshot': restored from saved or live fields; 'fresh': built again as at first, later state is gone. */
  state: 'snapshot' | 'fresh';
  reason: string;
}

export interface SandboxPoolStats {
  /** Shared workers (the quarantine worker is reported apart). */
  workers: number;
  sandboxes: number;
  /** Requests queued or running across all workers. */
  pending: number;
  /** Workers replaced after crashing or hanging. */
  workerRestarts: number;
  sandboxesPerWorker: number[];
  /** Sandboxes re-created on another worker after losing theirs to another sandbox, or moved to quarantine. */
  sandboxesRestored: number;
  /** The worker of sessions whose code got a worker terminated; started at the first such session. */
  quarantine: { running: boolean; sandboxes: number; sessions: number };
}

/** Budget for instantiating a WASM instance and running the prelude, beyond the guest's own time limit. */
const CREATE_OVERHEAD_MS = PRELUDE_BUDGET_MS + 2000;
/** Budget for marshaling, error description and console draining around a call. */
const CALL_OVERHEAD_MS = 500;
const DEFAULT_WATCHDOG_GRACE_MS = 1000;
/** Sandboxes alive at once over all sessions: at the default 32 MiB each, 4 GiB of fixed memory at most. */
export const DEFAULT_MAX_SANDBOXES = 128;
/** Percentage of maxSandboxes in use from which the fair-share rule (FairShare.ts) applies. */
export const DEFAULT_FAIR_SHARE_PERCENT = 50;
/** Workers a creation may find lost under it before it gives up (each loss was another sandbox's doing). */
const MAX_PLACEMENT_ATTEMPTS = 3;
const DEFAULT_TENANT = 'default';

/**
 * How an instance is built: kept for as long as it lives, so it can be built again after a worker loss. Costs
 * at most maxSandboxes x (package + constructor input), both already bounded by the protocol's limits.
 */
interface Recipe {
  pkg: NodePackage;
  nodeName: string;
  ctorArgs: unknown[];
  state: unknown;
  restore: boolean;
  limits: SandboxLimits;
  faults: SandboxFaults | undefined;
}

interface Entry {
  sandbox: NodeSandbox;
  recipe: Recipe;
  recoverState: CreateSandboxOptions['recoverState'];
  onRestored: CreateSandboxOptions['onRestored'];
  /** Being re-created or moved: a loss meanwhile is handled by that recovery, not a second one. */
  recovering: boolean;
}

interface Tenant {
  /** Sandboxes alive or being created. */
  held: number;
  quarantined: boolean;
}

/**
 * Runs user nodes in QuickJS sandboxes on a pool of worker threads, off the main event loop. Each sandbox gets
 * its own WASM instance and fixed memory; sandboxes are placed on the least-loaded worker, and each worker
 * serves its sessions round robin.
 *
 * A worker that stops answering is terminated and replaced. The one sandbox whose request it was running is
 * discarded (SandboxTimeout for a hang) and its session moves to a separate quarantine worker, where it can
 * only hurt sessions that did the same. Every other sandbox of the lost worker is re-created on another worker
 * from its package (or its last snapshot), its waiting calls run there, and its owner is told (onRestored).
 */
export class SandboxPool {
  private readonly size: number;
  private readonly limits: SandboxLimits;
  private readonly watchdogGraceMs: number;
  private readonly allowFaultInjection: boolean;
  private readonly workers: SandboxWorkerHandle[] = [];
  private quarantineWorker: SandboxWorkerHandle | undefined;
  private readonly sandboxes = new Map<string, Entry>();
  private readonly tenants = new Map<string, Tenant>();
  private started: Promise<WasmModule> | undefined;
  private wasmModule: WasmModule | undefined;
  private closing: Promise<void> | undefined;
  private restarts = 0;
  private restored = 0;
  private readonly share: FairShare;
  /** Creations under way: they hold a place against maxSandboxes before they exist. */
  private creating = 0;

  constructor(options: SandboxPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    this.size = workers;
    this.limits = resolveSandboxLimits(options.limits);
    this.watchdogGraceMs = options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS;
    this.allowFaultInjection = options.allowFaultInjection ?? false;
    const fromPercent = options.fairSharePercent ?? DEFAULT_FAIR_SHARE_PERCENT;
    if (!Number.isInteger(fromPercent) || fromPercent < 1 || fromPercent > 100) {
      throw new RangeError(`fairSharePercent must be an integer from 1 to 100, got ${fromPercent}`);
    }
    this.share = { max: options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES, fromPercent };
  }

  async create(options: CreateSandboxOptions): Promise<NodeSandbox> {
    this.assertOpen();
    const tenant = options.tenant ?? DEFAULT_TENANT;
    const refusal = shareRefusal(this.share, this.sandboxes.size + this.creating, this.tenants.get(tenant)?.held ?? 0);
    if (refusal !== undefined) throw refusal;
    this.creating++;
    this.hold(tenant, 1);
    let created = false;
    try {
      const sandbox = await this.createCounted(options, tenant);
      created = true;
      return sandbox;
    } finally {
      this.creating--;
      if (!created) this.hold(tenant, -1);
    }
  }

  /** Whether the session's sandboxes run on the quarantine worker (its code got a worker terminated). */
  isQuarantined(tenant: string): boolean {
    return this.tenants.get(tenant)?.quarantined ?? false;
  }

  /** The session is gone: forget it (and its quarantine) once its last sandbox is disposed. */
  releaseTenant(tenant: string): void {
    const entry = this.tenants.get(tenant);
    if (entry === undefined) return;
    entry.quarantined = false;
    if (entry.held === 0) this.tenants.delete(tenant);
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
      const worker = this.placeFor(tenant);
      worker.sandboxIds.add(id);
      try {
        const created = (await worker.request(
          { type: 'create', sandboxId: id, nodeName, pkg: recipe.pkg, ctorArgs: recipe.ctorArgs, state: recipe.state, restore: recipe.restore, limits, faults: recipe.faults },
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

  stats(): SandboxPoolStats {
    let pending = 0;
    for (const w of this.allWorkers()) pending += w.load;
    let quarantinedSessions = 0;
    for (const tenant of this.tenants.values()) if (tenant.quarantined) quarantinedSessions++;
    return {
      workers: this.workers.length,
      sandboxes: this.sandboxes.size,
      pending,
      workerRestarts: this.restarts,
      sandboxesPerWorker: this.workers.map((w) => w.sandboxIds.size),
      sandboxesRestored: this.restored,
      quarantine: {
        running: this.quarantineWorker !== undefined,
        sandboxes: this.quarantineWorker?.sandboxIds.size ?? 0,
        sessions: quarantinedSessions,
      },
    };
  }

  /** Disposes every sandbox and worker; in-flight calls reject with SessionClosed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    const closed = (what: string) => new RemoteMediaError(ErrorCode.SessionClosed, `the sandbox pool was closed during ${what}`);
    for (const { sandbox } of this.sandboxes.values()) sandbox.close(closed('the call'));
    this.sandboxes.clear();
    const workers = this.allWorkers();
    this.workers.length = 0;
    this.quarantineWorker = undefined;
    await Promise.all(workers.map((w) => w.terminate((p) => closed(`${p.nodeName}.${p.method}`))));
  }

  private allWorkers(): SandboxWorkerHandle[] {
    return this.quarantineWorker === undefined ? [...this.workers] : [...this.workers, this.quarantineWorker];
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool is closed');
  }

  private start(): Promise<WasmModule> {
    this.started ??= compileQuickJSWasm().then((wasmModule) => {
      this.wasmModule = wasmModule;
      if (this.closing === undefined) for (let i = 0; i < this.size; i++) this.workers.push(this.spawn('shared'));
      return wasmModule;
    });
    return this.started;
  }

  private spawn(kind: SandboxWorkerHandle['kind']): SandboxWorkerHandle {
    return new SandboxWorkerHandle(
      {
        wasmModule: this.wasmModule!,
        edgeModules: edgeModules(),
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
    const index = this.workers.indexOf(lost);
    if (index >= 0) this.workers[index] = this.spawn('shared');
    if (lost === this.quarantineWorker) this.quarantineWorker = undefined;
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
      if (entry === undefined || id === culprit?.sandboxId || !this.recoverable(entry)) continue;
      void this.recover(entry, { move: false, reason: cause });
    }
  }

  /**
   * From now on the session's sandboxes run on the quarantine worker: new ones are placed there, and those
   * still on shared workers move there with their current fields (snapshot, then restore).
   */
  private quarantine(tenant: string, nodeName: string): void {
    const entry = this.tenants.get(tenant);
    if (entry === undefined || entry.quarantined || tenant === DEFAULT_TENANT) return;
    entry.quarantined = true;
    const reason = `this session's node ${nodeName} got its worker stopped, so the session's nodes now run on a separate quarantine worker`;
    for (const sandbox of this.sandboxes.values()) {
      const worker = sandbox.sandbox.currentWorker;
      if (sandbox.sandbox.tenant !== tenant || worker.kind !== 'shared' || !worker.alive || !this.recoverable(sandbox)) continue;
      void this.recover(sandbox, { move: true, reason });
    }
  }

  private recoverable(entry: Entry): boolean {
    return !entry.recovering && !entry.sandbox.disposed && entry.sandbox.discardedReason === undefined;
  }

  /**
   * Re-creates a sandbox's instance on the worker its tenant belongs on. Its calls are held meanwhile and run
   * on the new instance afterwards. `move`: the old instance is alive and its fields are carried over; otherwise
   * it is gone and comes back from `recoverState` or its recipe. Failing that, the sandbox is discarded.
   */
  private async recover(entry: Entry, how: { move: boolean; reason: string }): Promise<void> {
    const { sandbox } = entry;
    const from = sandbox.currentWorker;
    entry.recovering = true;
    sandbox.suspend();
    try {
      let recipe = entry.recipe;
      let state: RestoredEvent['state'] = 'fresh';
      const fields = how.move ? await this.liveFields(entry, from) : await entry.recoverState?.().catch(() => undefined);
      if (fields !== undefined) {
        recipe = { ...recipe, state: fields.state, restore: true };
        state = 'snapshot';
      }
      this.assertOpen();
      if (sandbox.disposed) return;
      const { worker } = await this.instantiate(sandbox.id, sandbox.tenant, recipe, '<re-create>');
      if (sandbox.disposed || this.closing !== undefined) {
        worker.sandboxIds.delete(sandbox.id);
        void this.disposeOn(worker, entry).catch(() => undefined);
        return;
      }
      from.sandboxIds.delete(sandbox.id);
      if (how.move && from.alive) void this.disposeOn(from, entry).catch(() => undefined);
      this.restored++;
      try {
        // Told first, so the client hears of the restore before any result the new instance produces.
        entry.onRestored?.({ state, reason: how.reason });
      } catch {
        // The listener is the caller's code; its failure does not undo the restore.
      }
      sandbox.resume(worker);
    } catch (error) {
      if (how.move && from.alive) void this.disposeOn(from, entry).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      sandbox.markLost({
        code: ErrorCode.SandboxCrashed,
        message: `${how.reason}, and the node could not be re-created: ${message}`,
        nodeName: sandbox.nodeName,
      });
    } finally {
      entry.recovering = false;
    }
  }

  /** The live instance's fields, read in turn after the calls it already has queued; undefined if that fails. */
  private async liveFields(entry: Entry, from: SandboxWorkerHandle): Promise<{ state: unknown } | undefined> {
    const { sandbox, recipe } = entry;
    try {
      const state = await from.request(
        { type: 'snapshot', sandboxId: sandbox.id },
        { tenant: sandbox.tenant, nodeName: sandbox.nodeName, method: 'snapshot', limitMs: recipe.limits.callTimeoutMs, budgetMs: recipe.limits.callTimeoutMs + CALL_OVERHEAD_MS },
      );
      return { state };
    } catch {
      // Its worker went too, or the fields cannot be read: it comes back the way a lost one does.
      return entry.recoverState?.().catch(() => undefined);
    }
  }

  private disposeOn(worker: SandboxWorkerHandle, entry: Entry): Promise<unknown> {
    const { sandbox } = entry;
    return worker.request(
      { type: 'dispose', sandboxId: sandbox.id },
      { tenant: sandbox.tenant, nodeName: sandbox.nodeName, method: 'dispose', limitMs: CALL_OVERHEAD_MS, budgetMs: CALL_OVERHEAD_MS },
    );
  }

  /** Quarantined sessions get the quarantine worker (started on first need); others the least-loaded shared one. */
  private placeFor(tenant: string): SandboxWorkerHandle {
    if (this.isQuarantined(tenant)) {
      this.quarantineWorker ??= this.spawn('quarantine');
      return this.quarantineWorker;
    }
    let best: SandboxWorkerHandle | undefined;
    for (const w of this.workers) {
      if (!w.alive) continue;
      if (best === undefined || w.sandboxIds.size < best.sandboxIds.size || (w.sandboxIds.size === best.sandboxIds.size && w.load < best.load)) {
        best = w;
      }
    }
    if (best === undefined) throw new RemoteMediaError(ErrorCode.Internal, 'no sandbox worker is available');
    return best;
  }

  private hold(tenant: string, delta: 1 | -1): void {
    const entry = this.tenants.get(tenant) ?? { held: 0, quarantined: false };
    entry.held += delta;
    if (entry.held <= 0 && !entry.quarantined) this.tenants.delete(tenant);
    else this.tenants.set(tenant, entry);
  }

  private forget(sandbox: NodeSandbox): void {
    const entry = this.sandboxes.get(sandbox.id);
    if (entry === undefined) return;
    this.sandboxes.delete(sandbox.id);
    sandbox.currentWorker.sandboxIds.delete(sandbox.id);
    this.hold(sandbox.tenant, -1);
  }
}

/** Refuses a package whose manifest and sources disagree, before any of it reaches a sandbox. */
function checkPackage(pkg: NodePackage): void {
  const { manifest, sources } = pkg;
  if (!manifest.modules.some((m) => m.path === manifest.entry)) {
    throw new RemoteMediaError(ErrorCode.InvalidManifest, `the manifest's entry ${manifest.entry} is not one of its modules`);
  }
  for (const info of manifest.modules) {
    if (!Object.hasOwn(sources, info.path) || typeof sources[info.path] !== 'string') {
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `the package has no source for module ${info.path}`);
    }
    const digest = createHash('sha256').update(sources[info.path]!, 'utf8').digest('hex');
    if (digest !== info.sha256) {
      throw new RemoteMediaError(ErrorCode.PackageIntegrity, `module ${info.path} does not match its SHA-256 in the manifest`);
    }
  }
}
