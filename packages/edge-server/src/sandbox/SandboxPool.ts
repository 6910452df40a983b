import { createHash, randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { PRELUDE_BUDGET_MS } from './GuestRuntime.ts';
import { NodeSandbox } from './NodeSandbox.ts';
import { compileQuickJSWasm } from './quickjsWasm.ts';
import type { WasmModule } from './quickjsWasm.ts';
import { resolveSandboxLimits } from './SandboxLimits.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import { edgeModules } from './edgeModules.ts';
import { SandboxWorkerHandle, WorkerFailure } from './SandboxWorkerHandle.ts';
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
}

export interface SandboxPoolStats {
  workers: number;
  sandboxes: number;
  /** Requests queued or running across all workers. */
  pending: number;
  /** Workers replaced after crashing or hanging. */
  workerRestarts: number;
  sandboxesPerWorker: number[];
}

/** Budget for instantiating a WASM instance and running the prelude, beyond the guest's own time limit. */
const CREATE_OVERHEAD_MS = PRELUDE_BUDGET_MS + 2000;
/** Budget for marshaling, error description and console draining around a call. */
const CALL_OVERHEAD_MS = 500;
const DEFAULT_WATCHDOG_GRACE_MS = 1000;

/**
 * Runs user nodes in QuickJS sandboxes on a pool of worker threads, off the main event loop. Each sandbox gets
 * its own WASM instance and fixed memory; sandboxes are placed on the least-loaded worker. A worker that stops
 * answering is terminated and replaced, and the sandboxes it hosted report SandboxCrashed.
 */
export class SandboxPool {
  private readonly size: number;
  private readonly limits: SandboxLimits;
  private readonly watchdogGraceMs: number;
  private readonly allowFaultInjection: boolean;
  private readonly workers: SandboxWorkerHandle[] = [];
  private readonly sandboxes = new Map<string, { sandbox: NodeSandbox; worker: SandboxWorkerHandle }>();
  private started: Promise<WasmModule> | undefined;
  private closing: Promise<void> | undefined;
  private restarts = 0;
  private readonly maxSandboxes: number;
  /** Creations under way: they hold a place against maxSandboxes before they exist. */
  private creating = 0;

  constructor(options: SandboxPoolOptions = {}) {
    const workers = options.workers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    this.size = workers;
    this.limits = resolveSandboxLimits(options.limits);
    this.watchdogGraceMs = options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS;
    this.allowFaultInjection = options.allowFaultInjection ?? false;
    this.maxSandboxes = options.maxSandboxes ?? 128;
  }

  async create(options: CreateSandboxOptions): Promise<NodeSandbox> {
    this.assertOpen();
    if (this.sandboxes.size + this.creating >= this.maxSandboxes) {
      throw new RemoteMediaError(
        ErrorCode.TooManySandboxes,
        `this edge is running its maximum of ${this.maxSandboxes} sandboxes; try again when some are disposed`,
        { retryable: true },
      );
    }
    this.creating++;
    try {
      return await this.createCounted(options);
    } finally {
      this.creating--;
    }
  }

  private async createCounted(options: CreateSandboxOptions): Promise<NodeSandbox> {
    const limits = resolveSandboxLimits(this.limits, options.limits);
    const { pkg } = options;
    checkPackage(pkg);
    const nodeName = options.nodeName ?? (pkg.manifest.exportName === 'default' ? pkg.manifest.entry : pkg.manifest.exportName);
    await this.start();
    this.assertOpen();
    const worker = this.leastLoaded();
    const id = randomUUID();
    const restore = options.state !== undefined;
    worker.sandboxIds.add(id);
    let created: { methods: string[] };
    try {
      created = (await worker.request(
        {
          type: 'create',
          sandboxId: id,
          nodeName,
          pkg,
          ctorArgs: options.ctorArgs ?? [],
          state: options.state,
          restore,
          limits,
          faults: options.faults,
        },
        { nodeName, method: restore ? '<restore>' : 'constructor', budgetMs: limits.callTimeoutMs + CREATE_OVERHEAD_MS },
      )) as { methods: string[] };
    } catch (error) {
      worker.sandboxIds.delete(id);
      if (error instanceof WorkerFailure) throw new RemoteError({ ...error.payload, nodeName, method: error.payload.method ?? 'constructor' });
      throw error;
    }
    const sandbox = new NodeSandbox({
      id,
      nodeName,
      methods: created.methods,
      host: { worker, limits, overheadMs: CALL_OVERHEAD_MS, forget: (s) => this.forget(s) },
      onConsole: options.onConsole,
    });
    if (this.closing !== undefined || !worker.alive) {
      // The pool closed or the worker died while this sandbox was being built.
      sandbox.close(new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool closed while the sandbox was created'));
      throw new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool closed while the sandbox was created');
    }
    this.sandboxes.set(id, { sandbox, worker });
    return sandbox;
  }

  stats(): SandboxPoolStats {
    let pending = 0;
    for (const w of this.workers) pending += w.load;
    return {
      workers: this.workers.length,
      sandboxes: this.sandboxes.size,
      pending,
      workerRestarts: this.restarts,
      sandboxesPerWorker: this.workers.map((w) => w.sandboxIds.size),
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
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate((p) => closed(`${p.nodeName}.${p.method}`))));
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new RemoteMediaError(ErrorCode.SessionClosed, 'the sandbox pool is closed');
  }

  private start(): Promise<WasmModule> {
    this.started ??= compileQuickJSWasm().then((wasmModule) => {
      if (this.closing === undefined) for (let i = 0; i < this.size; i++) this.workers.push(this.spawn(wasmModule));
      return wasmModule;
    });
    return this.started;
  }

  private spawn(wasmModule: WasmModule): SandboxWorkerHandle {
    return new SandboxWorkerHandle({
      wasmModule,
      edgeModules: edgeModules(),
      allowFaultInjection: this.allowFaultInjection,
      watchdogGraceMs: this.watchdogGraceMs,
      onConsole: (sandboxId, entries) => this.sandboxes.get(sandboxId)?.sandbox.deliverConsole(entries),
      onLost: (handle, sandboxIds, reason) => this.replace(handle, sandboxIds, reason, wasmModule),
    });
  }

  /** A worker died or hung: its sandboxes are gone; put a fresh worker in its place. */
  private replace(lost: SandboxWorkerHandle, sandboxIds: string[], reason: string, wasmModule: WasmModule): void {
    for (const id of sandboxIds) {
      const entry = this.sandboxes.get(id);
      entry?.sandbox.markLost({ code: ErrorCode.SandboxCrashed, message: reason, nodeName: entry.sandbox.nodeName });
    }
    const index = this.workers.indexOf(lost);
    if (index < 0 || this.closing !== undefined) return;
    this.restarts++;
    this.workers[index] = this.spawn(wasmModule);
  }

  private leastLoaded(): SandboxWorkerHandle {
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

  private forget(sandbox: NodeSandbox): void {
    const entry = this.sandboxes.get(sandbox.id);
    if (entry === undefined) return;
    this.sandboxes.delete(sandbox.id);
    entry.worker.sandboxIds.delete(sandbox.id);
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
