import { Scope, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime } from 'quickjs-emscripten-core';
import { ErrorCode } from '@remotemedia/shared/errors';
import type { PixelFormat } from '@remotemedia/shared/frames';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { checkOutputFrames } from './checkOutputFrames.ts';
import { classifyFailure } from './classifyFailure.ts';
import { describeGuestError } from './describeGuestError.ts';
import { drainGuestConsole } from './drainGuestConsole.ts';
import { encodeInput } from './encodeInput.ts';
import { GUEST_API_NAMES, type CallMode, type GuestApiName, type GuestConfig } from './guest/guestApi.ts';
import { gatherEvidence } from './gatherEvidence.ts';
import { GuestDeadline, PRELUDE_BUDGET_MS } from './GuestDeadline.ts';
import { GuestJobs } from './GuestJobs.ts';
import { GuestMemory } from './GuestMemory.ts';
import { GuestViews } from './GuestViews.ts';
import { installHostKernels } from './HostKernels.ts';
import { ModuleLoader } from './ModuleLoader.ts';
import { instantiateQuickJS, type QuickJSInstance, type WasmModule } from './quickjsWasm.ts';
import { Interrupted } from './rawFailures.ts';
import { readBoundedString } from './readBoundedString.ts';
import { readGuestResult } from './readGuestResult.ts';
import { readSetupReport, SETUP_REPORT_MAX_CHARS } from './readSetupReport.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import { UserWasm } from './UserWasm.ts';
import {
  CONSOLE_MAX_BYTES_PER_CALL,
  CONSOLE_MAX_ENTRIES_PER_CALL,
  CONSOLE_MAX_ENTRY_CHARS,
  MAX_METHODS,
  quickjsMemoryLimitFor,
  resultBoundsFor,
  wasmPagesFor,
  type ResultBounds,
  type SandboxLimits,
} from './SandboxLimits.ts';
import type { ConsoleEntry, SandboxFaults } from './workerProtocol.ts';

export interface GuestRuntimeOptions {
  wasmModule: WasmModule;
  /** The prelude script (the guest bundle's), evaluated before any user module. */
  prelude: string;
  /** Sources the edge provides to guests by import target (`edge:shared`). */
  edgeModules: Readonly<Record<string, string>>;
  pkg: NodePackage;
  nodeName: string;
  limits: SandboxLimits;
  ctorArgs: unknown[];
  state: unknown;
  restore: boolean;
  faults: SandboxFaults | undefined;
  onConsole: (entries: ConsoleEntry[]) => void;
  /** A fresh instance made ahead of time (WarmInstances), of the size the limits ask for; else one is made. */
  instance?: Promise<QuickJSInstance>;
}

/**
 * One node instance inside its own QuickJS WASM instance (own fixed memory, runtime and context). Lives in a
 * sandbox worker; everything here is synchronous once created. After a fatal failure the instance is retired
 * without disposing: freeing a runtime after an out-of-memory or stack overflow can abort the whole module.
 *
 * Handle ownership: what lives as long as the instance (runtime, context, the prelude's functions, the result
 * arena) is managed by `lifetime`, disposed in reverse; what one operation creates is managed by that
 * operation's Scope (see guarded).
 */
export class GuestRuntime {
  private methodList: readonly string[] = [];
  private formats: readonly PixelFormat[] | undefined;
  private readonly lifetime = new Scope();
  private readonly context: QuickJSContext;
  private readonly runtime: QuickJSRuntime;
  private readonly memory: GuestMemory;
  private readonly loader: ModuleLoader;
  private readonly deadline: GuestDeadline;
  private readonly jobs: GuestJobs;
  private readonly views: GuestViews;
  /** The node's own WebAssembly modules (loadWasm), run by V8 beside the guest. */
  private readonly wasm: UserWasm;
  /** The prelude's functions; filled while the prelude starts (a missing one means it never did). */
  private readonly api: Partial<Record<GuestApiName, QuickJSHandle>> = {};
  private readonly bounds: ResultBounds;
  /** Failures where the engine itself broke (a host exception escaped QuickJS): its handles must not be touched. */
  private readonly broken = new WeakSet<SandboxFailure>();
  private state: 'live' | 'retired' | 'disposed' = 'live';

  private constructor(
    private readonly options: GuestRuntimeOptions,
    quickjs: QuickJSInstance,
  ) {
    const { limits } = options;
    this.bounds = resultBoundsFor(limits);
    this.deadline = new GuestDeadline(options.faults?.ignoreInterrupts ?? false);
    this.runtime = this.lifetime.manage(quickjs.quickjs.newRuntime());
    this.runtime.setMemoryLimit(quickjsMemoryLimitFor(limits));
    this.runtime.setMaxStackSize(limits.stackBytes);
    this.runtime.setInterruptHandler(this.deadline.shouldInterrupt);
    this.loader = new ModuleLoader(options.pkg, options.edgeModules);
    this.runtime.setModuleLoader(this.loader.load, this.loader.normalize);
    this.context = this.lifetime.manage(this.runtime.newContext());
    this.memory = this.lifetime.manage(new GuestMemory(quickjs.quickjs, this.context, quickjs.memory));
    this.jobs = new GuestJobs(this.context, this.runtime, this.deadline);
    this.views = new GuestViews(quickjs.memory);
    this.wasm = new UserWasm(options.pkg, limits, this.context, this.memory, quickjs.memory);
  }

  /** Public methods of the node class (prototype chain, without the constructor). */
  get methods(): readonly string[] {
    return this.methodList;
  }

  /** The pixel formats the class declares its process accepts (undefined: frames pass as they come). */
  get acceptedFormats(): readonly PixelFormat[] | undefined {
    return this.formats;
  }

  get live(): boolean {
    return this.state === 'live';
  }

  static async create(options: GuestRuntimeOptions): Promise<GuestRuntime> {
    const guest = new GuestRuntime(options, await (options.instance ?? instantiateQuickJS(options.wasmModule, wasmPagesFor(options.limits))));
    try {
      guest.boot();
    } catch (error) {
      guest.releaseAfterFailure(error);
      throw error;
    }
    return guest;
  }

  /** Runs `instance[method](...args)`; in 'process' mode normalizes the result to a list of outputs. */
  call(method: string, args: unknown[], mode: CallMode): unknown {
    const { limits, nodeName } = this.options;
    const input = encodeInput(args, { nodeName, method, limits });
    return this.guarded(method, limits.callTimeoutMs, (scope) => {
      const ctx = this.context;
      const buffers = this.memory.copyIn(input.buffers, scope);
      const string = (s: string): QuickJSHandle => scope.manage(ctx.newString(s));
      const argv = [string(method), string(input.json), buffers, string(mode)];
      const value = this.jobs.settle(this.jobs.unwrap(ctx.callFunction(this.fn('invoke'), ctx.undefined, argv), scope), scope, 'run');
      const output = this.readResult(this.jobs.unwrap(ctx.callFunction(this.fn('encode'), ctx.undefined, value), scope, 'encode'), scope);
      checkOutputFrames(output, mode, limits.maxFrameBytes);
      return output;
    });
  }

  /** The instance's own enumerable fields as host values. */
  snapshot(): unknown {
    return this.guarded('snapshot', this.options.limits.callTimeoutMs, (scope) =>
      this.readResult(this.jobs.unwrap(this.context.callFunction(this.fn('snapshot'), this.context.undefined), scope, 'encode'), scope),
    );
  }

  /** Bytes QuickJS has allocated for this runtime, plus the memories of its WebAssembly modules. */
  memoryUsage(): number {
    return this.guarded('memoryUsage', this.options.limits.callTimeoutMs, (scope) => {
      const usage = this.context.dump(scope.manage(this.runtime.computeMemoryUsage())) as { memory_used_size?: unknown };
      return (typeof usage.memory_used_size === 'number' ? usage.memory_used_size : 0) + this.wasm.memoryBytes();
    });
  }

  /** Frees the instance. Idempotent; a retired instance is only dropped (see class comment). */
  dispose(): void {
    if (this.state !== 'live') {
      this.state = this.state === 'retired' ? 'retired' : 'disposed';
      return;
    }
    this.state = 'disposed';
    this.disposeAll();
  }

  /** Evaluates the prelude and the entry module and makes the instance. Throws SandboxFailure. */
  private boot(): void {
    const { pkg, nodeName, limits, restore } = this.options;
    const ctx = this.context;
    this.guarded('<prelude>', PRELUDE_BUDGET_MS, (scope) => {
      const apiObject = this.jobs.unwrap(ctx.evalCode(this.options.prelude, 'remotemedia:prelude'), scope);
      for (const name of GUEST_API_NAMES) this.api[name] = this.lifetime.manage(ctx.getProp(apiObject, name));
      const config: GuestConfig = {
        ...this.bounds,
        methods: MAX_METHODS,
        consoleEntries: CONSOLE_MAX_ENTRIES_PER_CALL,
        consoleBytes: CONSOLE_MAX_BYTES_PER_CALL,
        consoleEntryChars: CONSOLE_MAX_ENTRY_CHARS,
      };
      this.jobs.unwrap(ctx.callFunction(this.fn('configure'), ctx.undefined, scope.manage(ctx.newString(JSON.stringify(config)))), scope);
      installHostKernels(ctx, this.views, this.deadline, scope);
      this.wasm.install();
    });
    this.guarded('<load>', limits.callTimeoutMs, (scope) => {
      const entry = pkg.manifest.entry;
      const source = this.loader.source(entry);
      if (source === undefined) {
        throw new SandboxFailure(
          { code: ErrorCode.ModuleNotFound, message: `the package has no entry module ${entry}`, nodeName, method: '<load>' },
          true,
        );
      }
      let namespace: QuickJSHandle;
      try {
        namespace = this.jobs.settle(this.jobs.unwrap(ctx.evalCode(source, entry, { type: 'module' }), scope, 'load'), scope, 'load');
      } catch (error) {
        throw this.toFailure(error, '<load>');
      }
      const exportName = pkg.manifest.exportName || 'default';
      const nodeClass = scope.manage(ctx.getProp(namespace, exportName));
      const kind = ctx.typeof(nodeClass);
      if (kind !== 'function') {
        const message = `entry module ${entry} does not export a class named "${exportName}" (found ${kind})`;
        throw new SandboxFailure({ code: ErrorCode.InvalidManifest, message, nodeName, method: '<load>' }, true);
      }
      const method = restore ? '<restore>' : 'constructor';
      const input = encodeInput(restore ? this.options.state : this.options.ctorArgs, { nodeName, method: 'constructor', limits });
      const buffers = this.memory.copyIn(input.buffers, scope);
      let methodsJson: QuickJSHandle;
      try {
        const args = [nodeClass, scope.manage(ctx.newString(input.json)), buffers, restore ? ctx.true : ctx.false];
        methodsJson = this.jobs.unwrap(ctx.callFunction(this.fn('setup'), ctx.undefined, args), scope, 'construct');
        this.jobs.drain('construct', scope);
      } catch (error) {
        throw this.toFailure(error, method);
      }
      const report = readSetupReport(readBoundedString(ctx, methodsJson, SETUP_REPORT_MAX_CHARS), nodeName);
      this.methodList = Object.freeze(report.methods);
      this.formats = report.formats;
    });
  }

  /**
   * Runs one operation under a fresh deadline. Handles it registers with `scope` are disposed afterwards,
   * unless the engine broke (then nothing in it may be touched again: Scope.withScope would dispose regardless);
   * any failure comes out as a SandboxFailure, and fatal ones retire the instance.
   */
  private guarded<T>(method: string, budgetMs: number, body: (scope: Scope) => T): T {
    if (this.state !== 'live') {
      throw new SandboxFailure(
        { code: ErrorCode.SandboxDiscarded, message: 'the sandbox is no longer available', nodeName: this.options.nodeName, method },
        true,
      );
    }
    const scope = new Scope();
    this.deadline.start(budgetMs);
    this.wasm.beginOperation();
    let failure: SandboxFailure | undefined;
    try {
      const value = body(scope);
      if (this.deadline.interrupted) throw new Interrupted();
      return value;
    } catch (error) {
      failure = this.toFailure(error, method);
      throw failure;
    } finally {
      const intact = failure === undefined || !this.broken.has(failure);
      this.memory.releaseTracked(intact);
      if (intact) {
        scope.dispose();
        this.flushConsole();
      }
      if (failure?.fatal && this.state === 'live') this.state = 'retired';
    }
  }

  /** A prelude function; only called once the prelude has started. */
  private fn(name: GuestApiName): QuickJSHandle {
    return this.api[name]!;
  }

  /** Decodes an encoded result; a throw from the guest's pack() is owned by the operation's `scope`. */
  private readResult(result: QuickJSHandle, scope: Scope): unknown {
    const ctx = this.context;
    return readGuestResult(result, {
      context: ctx,
      memory: this.memory,
      bounds: this.bounds,
      pack: (pair, arena) => {
        this.jobs.unwrap(ctx.callFunction(this.fn('pack'), ctx.undefined, pair, arena), scope, 'encode');
      },
      forgedText: this.options.faults?.forgedResult,
    });
  }

  /** Delivers console output the guest buffered during the last operation. */
  private flushConsole(): void {
    const drain = this.api.drainConsole;
    if (drain === undefined) return;
    const entries = [...drainGuestConsole(this.context, drain, this.deadline), ...this.wasm.takeLogs()];
    if (entries.length > 0) this.options.onConsole(entries);
  }

  /** Classifies anything thrown during an operation; see classifyFailure for the rules. */
  private toFailure(error: unknown, method: string): SandboxFailure {
    const { nodeName, limits } = this.options;
    if (error instanceof SandboxFailure) {
      return error.payload.method === undefined ? new SandboxFailure({ ...error.payload, method }, error.fatal) : error;
    }
    const evidence = gatherEvidence(error, {
      deadline: this.deadline,
      describe: (thrown) => describeGuestError(this.context, this.api.describeError, thrown, this.deadline),
      lastMissing: this.loader.lastMissing,
      hostCode: (described) => this.wasm.codeOf(described.name, described.message),
    });
    const classified = classifyFailure(evidence, { nodeName, method, limits });
    const failure = new SandboxFailure(classified.payload, classified.fatal);
    if (classified.engineBroken) this.broken.add(failure);
    return failure;
  }

  /** After a failed boot: free what can be freed, or just drop it if the engine broke. */
  private releaseAfterFailure(error: unknown): void {
    const broken = !(error instanceof SandboxFailure) || this.broken.has(error);
    const code = error instanceof SandboxFailure ? error.payload.code : undefined;
    const exhausted = code === ErrorCode.SandboxOutOfMemory || code === ErrorCode.SandboxStackOverflow;
    this.state = 'retired';
    if (!broken && !exhausted) this.disposeAll();
  }

  private disposeAll(): void {
    try {
      this.lifetime.dispose();
    } catch {
      // A runtime that trips QuickJS's leak assertion aborts only its own WASM instance, which is dropped here.
    }
  }
}
