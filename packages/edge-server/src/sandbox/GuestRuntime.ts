import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { ErrorCode, type ErrorPayload } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { GUEST_PRELUDE_SOURCE } from './guestPrelude.ts';
import { decodeFromGuest, encodeForGuest, MarshalError } from './marshal.ts';
import type { EncodedValue } from './marshal.ts';
import { ModuleLoader, describeMissing } from './ModuleLoader.ts';
import { instantiateQuickJS } from './quickjsWasm.ts';
import type { WasmMemory, WasmModule } from './quickjsWasm.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import { maxInputBytesFor, quickjsMemoryLimitFor, wasmPagesFor } from './SandboxLimits.ts';
import type { SandboxLimits } from './SandboxLimits.ts';
import type { ConsoleEntry, SandboxFaults } from './workerProtocol.ts';

/** Extra guest time for describing an error or draining the console after the call's own budget is spent. */
const HOUSEKEEPING_MS = 100;
/**
 * Budget for evaluating the trusted prelude. Kept apart from the user's call limit: the first instance in a cold
 * worker runs it while V8 is still compiling the WASM code, which took over 300 ms here.
 */
export const PRELUDE_BUDGET_MS = 2000;

/** An exception value thrown inside the guest, still owned by the guest until classified. */
class GuestThrow {
  constructor(readonly handle: QuickJSHandle) {}
}

/** The prelude's functions, owned by the GuestRuntime and disposed with it. */
interface PreludeApi {
  pack: QuickJSHandle;
  setup: QuickJSHandle;
  invoke: QuickJSHandle;
  encode: QuickJSHandle;
  snapshot: QuickJSHandle;
  describeError: QuickJSHandle;
  drainConsole: QuickJSHandle;
}

const API_NAMES = ['pack', 'setup', 'invoke', 'encode', 'snapshot', 'describeError', 'drainConsole'] as const;

export interface GuestRuntimeOptions {
  wasmModule: WasmModule;
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
}

/**
 * One node instance inside its own QuickJS WASM instance (own fixed memory, runtime and context). Lives in a
 * sandbox worker; everything here is synchronous once created. After a fatal failure the instance is retired
 * without disposing: freeing a runtime after an out-of-memory or stack overflow can abort the whole module.
 */
export class GuestRuntime {
  private methodList: readonly string[];
  private readonly memory: WasmMemory;
  private readonly quickjs: QuickJSWASMModule;
  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly loader: ModuleLoader;
  private readonly api: PreludeApi;
  private readonly owned: QuickJSHandle[];
  /**
   * Exchange area for results: host-malloc'd WASM memory wrapped (without copying) as a guest ArrayBuffer that
   * only the prelude holds. The guest copies a result's binary parts into it; the host reads them straight out.
   */
  private arena: { handle: QuickJSHandle; ptr: number; size: number } | undefined;
  private deadline = 0;
  private interrupted = false;
  private state: 'live' | 'retired' | 'disposed' = 'live';

  private constructor(
    private readonly options: GuestRuntimeOptions,
    parts: {
      memory: WasmMemory;
      quickjs: QuickJSWASMModule;
      runtime: QuickJSRuntime;
      context: QuickJSContext;
      loader: ModuleLoader;
      api: PreludeApi;
      owned: QuickJSHandle[];
      methods: string[];
    },
  ) {
    this.memory = parts.memory;
    this.quickjs = parts.quickjs;
    this.runtime = parts.runtime;
    this.context = parts.context;
    this.loader = parts.loader;
    this.api = parts.api;
    this.owned = parts.owned;
    this.methodList = parts.methods;
  }

  /** Public methods of the node class (prototype chain, without the constructor). */
  get methods(): readonly string[] {
    return this.methodList;
  }

  static async create(options: GuestRuntimeOptions): Promise<GuestRuntime> {
    const { limits } = options;
    const { quickjs, memory } = await instantiateQuickJS(options.wasmModule, wasmPagesFor(limits));
    const runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(quickjsMemoryLimitFor(limits));
    runtime.setMaxStackSize(limits.stackBytes);
    const loader = new ModuleLoader(options.pkg, options.edgeModules);
    runtime.setModuleLoader(loader.load, loader.normalize);
    const context = runtime.newContext();
    // Handles that live as long as the instance; disposed (in reverse) by dispose().
    const owned: QuickJSHandle[] = [];
    // The constructor below needs `this` for the interrupt handler and guest calls, so build the object first
    // with placeholder api/methods and fill them while creating.
    const guest = new GuestRuntime(options, {
      memory,
      quickjs,
      runtime,
      context,
      loader,
      api: {} as PreludeApi,
      owned,
      methods: [],
    });
    runtime.setInterruptHandler(() => guest.shouldInterrupt());
    try {
      guest.boot();
    } catch (error) {
      guest.releaseAfterFailure(error);
      throw error;
    }
    return guest;
  }

  /** Evaluates the prelude and the entry module and makes the instance. Throws SandboxFailure. */
  private boot(): void {
    const { pkg, limits, nodeName } = this.options;
    const ctx = this.context;
    this.guarded('<prelude>', PRELUDE_BUDGET_MS, (temp) => {
      const apiObject = temp(this.unwrap(ctx.evalCode(GUEST_PRELUDE_SOURCE, 'remotemedia:prelude')));
      for (const name of API_NAMES) {
        const handle = ctx.getProp(apiObject, name);
        this.owned.push(handle);
        (this.api as unknown as Record<string, QuickJSHandle>)[name] = handle;
      }
    });
    this.guarded('<load>', limits.callTimeoutMs, (temp) => {

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
        namespace = this.settle(temp(this.unwrap(ctx.evalCode(source, entry, { type: 'module' }))), temp);
      } catch (error) {
        throw this.moduleFailure(error);
      }

      const exportName = pkg.manifest.exportName || 'default';
      const nodeClass = temp(ctx.getProp(namespace, exportName));
      const kind = ctx.typeof(nodeClass);
      if (kind !== 'function') {
        throw new SandboxFailure(
          {
            code: ErrorCode.InvalidManifest,
            message: `entry module ${entry} does not export a class named "${exportName}" (found ${kind})`,
            nodeName,
            method: '<load>',
          },
          true,
        );
      }

      const input = this.checkedInput(this.options.restore ? this.options.state : this.options.ctorArgs, 'constructor');
      const buffers = this.copyIn(input, temp);
      const restoreFlag = this.options.restore ? ctx.true : ctx.false;
      const methodsJson = temp(
        this.unwrapAs(
          'constructor',
          ctx.callFunction(this.api.setup, ctx.undefined, [nodeClass, temp(ctx.newString(input.json)), buffers, restoreFlag]),
        ),
      );
      this.drainJobs();
      const methods: unknown = JSON.parse(ctx.getString(methodsJson));
      if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
        throw new MarshalError('the sandbox reported malformed method names');
      }
      this.methodList = Object.freeze(methods as string[]);
    });
  }

  /** Runs `instance[method](...args)`; in 'process' mode normalizes the result to a list of outputs. */
  call(method: string, args: unknown[], mode: 'call' | 'process'): unknown {
    const input = this.checkedInput(args, method);
    return this.guarded(method, this.options.limits.callTimeoutMs, (temp) => {
      const ctx = this.context;
      const buffers = this.copyIn(input, temp);
      const result = temp(
        this.unwrap(
          ctx.callFunction(this.api.invoke, ctx.undefined, [
            temp(ctx.newString(method)),
            temp(ctx.newString(input.json)),
            buffers,
            temp(ctx.newString(mode)),
          ]),
        ),
      );
      const value = this.settle(result, temp);
      return this.copyOut(temp(this.unwrap(ctx.callFunction(this.api.encode, ctx.undefined, value))));
    });
  }

  /** The instance's own enumerable fields as host values. */
  snapshot(): unknown {
    return this.guarded('snapshot', this.options.limits.callTimeoutMs, (temp) =>
      this.copyOut(temp(this.unwrap(this.context.callFunction(this.api.snapshot, this.context.undefined)))),
    );
  }

  /** Bytes QuickJS has allocated for this runtime. */
  memoryUsage(): number {
    return this.guarded('memoryUsage', this.options.limits.callTimeoutMs, (temp) => {
      const usage = this.context.dump(temp(this.runtime.computeMemoryUsage())) as { memory_used_size?: unknown };
      return typeof usage.memory_used_size === 'number' ? usage.memory_used_size : 0;
    });
  }

  get live(): boolean {
    return this.state === 'live';
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

  // ---- internals

  private shouldInterrupt(): boolean {
    if (this.options.faults?.ignoreInterrupts) return false;
    if (Date.now() > this.deadline) {
      this.interrupted = true;
      return true;
    }
    return false;
  }

  /**
   * Runs one operation under a fresh deadline. Handles registered with `temp` are disposed afterwards (unless the
   * engine broke); any failure comes out as a SandboxFailure, and fatal ones retire the instance.
   */
  private guarded<T>(method: string, budgetMs: number, body: (temp: (h: QuickJSHandle) => QuickJSHandle) => T): T {
    if (this.state !== 'live') {
      throw new SandboxFailure(
        { code: ErrorCode.SandboxDiscarded, message: 'the sandbox is no longer available', nodeName: this.options.nodeName, method },
        true,
      );
    }
    const temps: QuickJSHandle[] = [];
    const temp = (h: QuickJSHandle): QuickJSHandle => {
      temps.push(h);
      return h;
    };
    this.deadline = Date.now() + budgetMs;
    this.interrupted = false;
    let failure: SandboxFailure | undefined;
    try {
      const value = body(temp);
      if (this.interrupted) throw new Error('interrupted');
      return value;
    } catch (error) {
      failure = this.toFailure(error, method);
      throw failure;
    } finally {
      if (failure === undefined || !this.broken.has(failure)) {
        for (let i = temps.length - 1; i >= 0; i--) {
          const h = temps[i]!;
          if (h.alive) h.dispose();
        }
        this.flushConsole();
      }
      if (failure?.fatal && this.state === 'live') this.state = 'retired';
    }
  }

  /** Failures where the engine itself broke (a host exception escaped QuickJS): its handles must not be touched. */
  private readonly broken = new WeakSet<SandboxFailure>();

  private unwrap(result: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    if (result.error !== undefined) throw new GuestThrow(result.error);
    return result.value as QuickJSHandle;
  }

  /** Like unwrap, but attributes a guest exception to another method name (the constructor during setup). */
  private unwrapAs(method: string, result: { error?: QuickJSHandle; value?: QuickJSHandle }): QuickJSHandle {
    try {
      return this.unwrap(result);
    } catch (error) {
      throw this.toFailure(error, method);
    }
  }

  /** Runs queued promise jobs under the current deadline (jobs can loop too). */
  private drainJobs(): void {
    while (this.runtime.hasPendingJob()) {
      if (Date.now() > this.deadline && !this.options.faults?.ignoreInterrupts) this.interrupted = true;
      // An interrupted job can vanish without an error (seen with endless promise chains): trust the flag.
      if (this.interrupted) throw new Error('interrupted');
      const result = this.runtime.executePendingJobs();
      if (result.error !== undefined) throw new GuestThrow(result.error);
      result.dispose();
    }
    if (this.interrupted) throw new Error('interrupted');
  }

  /** Waits (by running jobs) for a promise result; plain values pass through. Returns a handle owned by `temp`. */
  private settle(handle: QuickJSHandle, temp: (h: QuickJSHandle) => QuickJSHandle): QuickJSHandle {
    this.drainJobs();
    const state = this.context.getPromiseState(handle);
    if (state.type === 'pending') {
      throw new SandboxFailure(
        {
          code: ErrorCode.UserError,
          name: 'Error',
          message: 'returned a promise that never settles (the sandbox has no timers or I/O that could settle it later)',
          nodeName: this.options.nodeName,
        },
        false,
      );
    }
    if (state.type === 'rejected') throw new GuestThrow(state.error);
    return state.value === handle ? handle : temp(state.value);
  }

  private checkedInput(value: unknown, method: string): EncodedValue {
    let input: EncodedValue;
    try {
      input = encodeForGuest(value);
    } catch (error) {
      throw new SandboxFailure(
        {
          code: ErrorCode.InvalidInput,
          name: 'TypeError',
          message: error instanceof Error ? error.message : String(error),
          nodeName: this.options.nodeName,
          method,
        },
        false,
      );
    }
    const size = input.json.length * 3 + input.buffers.reduce((sum, b) => sum + b.byteLength, 0);
    const max = maxInputBytesFor(this.options.limits);
    if (size > max) {
      throw new SandboxFailure(
        {
          code: ErrorCode.InvalidInput,
          message: `arguments of about ${size} bytes do not fit the sandbox (at most ${max} bytes per call with memoryBytes ${this.options.limits.memoryBytes})`,
          nodeName: this.options.nodeName,
          method,
        },
        false,
      );
    }
    return input;
  }

  /**
   * Puts binary arguments into the guest without a guest-side copy: each is written into fresh WASM heap memory
   * that QuickJS then owns as an ArrayBuffer (it frees the block when the buffer is collected). One memcpy per
   * buffer, no JSON and no per-element work; the guest never shares memory with a later call.
   */
  private copyIn(input: EncodedValue, temp: (h: QuickJSHandle) => QuickJSHandle): QuickJSHandle {
    const ctx = this.context;
    if (input.buffers.length === 0) return ctx.undefined;
    const list = temp(ctx.newArray());
    input.buffers.forEach((bytes, i) => {
      const { handle, ptr } = this.wrapHeapBuffer(bytes.byteLength);
      new Uint8Array(this.memory.buffer).set(bytes, ptr);
      ctx.setProp(list, i, handle);
      handle.dispose();
    });
    return list;
  }

  /** Decodes the prelude's [json, views] pair: binary parts are packed into the arena and copied out once. */
  private copyOut(pair: QuickJSHandle): unknown {
    const ctx = this.context;
    const jsonHandle = ctx.getProp(pair, 0);
    const viewsHandle = ctx.getProp(pair, 1);
    try {
      if (ctx.typeof(jsonHandle) !== 'string') throw new MarshalError('the sandbox sent a malformed result');
      let envelope: { v?: unknown; b?: unknown };
      try {
        envelope = JSON.parse(ctx.getString(jsonHandle)) as { v?: unknown; b?: unknown };
      } catch {
        throw new MarshalError('the sandbox sent a value that is not valid JSON');
      }
      const sizes = envelope.b;
      if (!Array.isArray(sizes) || !sizes.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
        throw new MarshalError('the sandbox sent malformed binary sizes');
      }
      const offsets: number[] = [];
      let total = 0;
      for (const size of sizes as number[]) {
        offsets.push(total);
        total += (size + 7) & ~7;
      }
      let base = 0;
      if (total > 0) {
        const arena = this.ensureArena(total);
        const packed = ctx.callFunction(this.api.pack, ctx.undefined, viewsHandle, arena.handle);
        this.unwrap(packed).dispose();
        base = arena.ptr;
      }
      const heap = new Uint8Array(this.memory.buffer);
      return decodeFromGuest(envelope.v, (index, byteOffset, byteLength) => {
        if (index >= sizes.length || byteOffset + byteLength > (sizes[index] as number)) {
          throw new MarshalError('the sandbox referred to binary data it did not send');
        }
        const start = base + offsets[index]! + byteOffset;
        return heap.slice(start, start + byteLength);
      });
    } finally {
      jsonHandle.dispose();
      viewsHandle.dispose();
    }
  }

  /** The result arena, grown (replaced) when a result needs more room than it has. */
  private ensureArena(bytes: number): { handle: QuickJSHandle; ptr: number } {
    if (this.arena !== undefined && this.arena.size >= bytes) return this.arena;
    const size = Math.max(bytes, 64 * 1024);
    const { handle, ptr } = this.wrapHeapBuffer(size);
    this.arena?.handle.dispose();
    this.arena = { handle, ptr, size };
    return this.arena;
  }

  /**
   * Mallocs `size` bytes in this instance's heap and wraps them as a guest ArrayBuffer. quickjs-emscripten's
   * public newArrayBuffer copies, and its getArrayBuffer copies into a temporary; the FFI's QTS_NewArrayBuffer
   * adopts the block instead, which is what makes frames cheap. Context internals (`ctx`, `memory`) are
   * protected fields; this is the one place that reaches them.
   */
  private wrapHeapBuffer(size: number): { handle: QuickJSHandle; ptr: number } {
    const internals = this.context as unknown as {
      ctx: { value: number };
      memory: { heapValueHandle(ptr: number): QuickJSHandle };
    };
    const module = (this.quickjs as unknown as { module: { _malloc(n: number): number } }).module;
    const ptr = module._malloc(Math.max(size, 1));
    if (ptr === 0) throw new GuestThrow(this.context.newError({ name: 'InternalError', message: 'out of memory' }));
    const ffi = this.quickjs.getFFI();
    const value = ffi.QTS_NewArrayBuffer(internals.ctx.value as never, ptr as never, size);
    return { handle: internals.memory.heapValueHandle(value as unknown as number), ptr };
  }

  /** Delivers console output the guest buffered during the last operation. */
  private flushConsole(): void {
    const ctx = this.context;
    if (this.api.drainConsole === undefined) return;
    const savedInterrupted = this.interrupted;
    this.deadline = Date.now() + HOUSEKEEPING_MS;
    try {
      const result = ctx.callFunction(this.api.drainConsole, ctx.undefined);
      if (result.error !== undefined) {
        result.error.dispose();
        return;
      }
      const text = ctx.getString(result.value);
      result.value.dispose();
      if (text === '') return;
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return;
      const entries: ConsoleEntry[] = [];
      for (const item of parsed as unknown[]) {
        const entry = item as { level?: unknown; text?: unknown };
        if (typeof entry.text === 'string' && isConsoleLevel(entry.level)) entries.push({ level: entry.level, text: entry.text });
      }
      if (entries.length > 0) this.options.onConsole(entries);
    } catch {
      // Console output is best effort: a broken guest must not turn a result into an error.
    } finally {
      this.interrupted = savedInterrupted;
    }
  }

  /** Module evaluation failures: a missing import becomes ModuleNotFound, a syntax error CompileError. */
  private moduleFailure(error: unknown): SandboxFailure {
    const failure = this.toFailure(error, '<load>');
    const missing = this.loader.lastMissing;
    if (missing !== undefined && failure.payload.code === ErrorCode.UserError) {
      return new SandboxFailure(
        { ...failure.payload, code: ErrorCode.ModuleNotFound, message: describeMissing(missing) },
        true,
      );
    }
    if (failure.payload.code === ErrorCode.UserError && failure.payload.name === 'SyntaxError') {
      return new SandboxFailure({ ...failure.payload, code: ErrorCode.CompileError }, true);
    }
    return failure.payload.code === ErrorCode.UserError ? new SandboxFailure(failure.payload, true) : failure;
  }

  /** Classifies anything thrown during an operation. */
  private toFailure(error: unknown, method: string): SandboxFailure {
    const { nodeName, limits } = this.options;
    if (error instanceof SandboxFailure) {
      return error.payload.method === undefined
        ? new SandboxFailure({ ...error.payload, method }, error.fatal)
        : error;
    }
    if (error instanceof MarshalError) {
      return new SandboxFailure({ code: ErrorCode.UserError, name: 'TypeError', message: error.message, nodeName, method }, false);
    }
    if (error instanceof GuestThrow || (this.interrupted && !(error instanceof Error && error.name === 'RangeError'))) {
      const described = error instanceof GuestThrow ? this.describe(error.handle) : { name: 'InternalError', message: 'interrupted', stack: '' };
      if (this.interrupted) {
        return new SandboxFailure(
          {
            code: ErrorCode.SandboxTimeout,
            name: described.name,
            message: `${method} did not finish within ${limits.callTimeoutMs} ms`,
            stack: described.stack,
            nodeName,
            method,
          },
          true,
        );
      }
      if (described.name === 'InternalError' && described.message === 'out of memory') {
        return new SandboxFailure(
          {
            code: ErrorCode.SandboxOutOfMemory,
            name: described.name,
            message: `${method} ran out of memory (sandbox limit ${limits.memoryBytes} bytes)`,
            stack: described.stack,
            nodeName,
            method,
          },
          true,
        );
      }
      if (described.name === 'InternalError' && described.message === 'stack overflow') {
        return new SandboxFailure(
          {
            code: ErrorCode.SandboxStackOverflow,
            name: described.name,
            message: `${method} overflowed the stack (sandbox limit ${limits.stackBytes} bytes)`,
            stack: described.stack,
            nodeName,
            method,
          },
          true,
        );
      }
      return new SandboxFailure(
        { code: ErrorCode.UserError, name: described.name, message: described.message, stack: described.stack, nodeName, method },
        false,
      );
    }
    // Anything else escaped from the engine itself: the instance is unusable and must not be touched again.
    if (error instanceof RangeError) {
      return this.markBroken(new SandboxFailure(
        {
          code: ErrorCode.SandboxStackOverflow,
          name: 'RangeError',
          message: `${method} overflowed the worker's native stack`,
          nodeName,
          method,
        },
        true,
      ));
    }
    return this.markBroken(new SandboxFailure(
      {
        code: ErrorCode.SandboxCrashed,
        name: error instanceof Error ? error.name : 'Error',
        message: `the sandbox engine failed during ${method}`,
        nodeName,
        method,
      },
      true,
    ));
  }

  private markBroken(failure: SandboxFailure): SandboxFailure {
    this.broken.add(failure);
    return failure;
  }

  /** Name, message and stack of a guest exception, read by the prelude under a short fresh deadline. */
  private describe(handle: QuickJSHandle): { name: string; message: string; stack: string } {
    const ctx = this.context;
    const savedDeadline = this.deadline;
    const savedInterrupted = this.interrupted;
    this.deadline = Date.now() + HOUSEKEEPING_MS;
    try {
      if (this.api.describeError === undefined) return { name: 'Error', message: 'the sandbox failed to start', stack: '' };
      // QuickJS throws null when it runs out of memory while building its out-of-memory error. A guest that
      // throws null itself gets the same treatment, which only costs it its own instance.
      if (ctx.typeof(handle) === 'object' && ctx.sameValue(handle, ctx.null)) {
        return { name: 'InternalError', message: 'out of memory', stack: '' };
      }
      const result = ctx.callFunction(this.api.describeError, ctx.undefined, handle);
      if (result.error !== undefined) {
        result.error.dispose();
        // The trusted describer only fails when the guest has no memory left to build a string.
        return { name: 'InternalError', message: 'out of memory', stack: '' };
      }
      const parsed = JSON.parse(ctx.getString(result.value)) as { name: string; message: string; stack: string };
      result.value.dispose();
      return parsed;
    } finally {
      if (handle.alive) handle.dispose();
      this.deadline = savedDeadline;
      this.interrupted = savedInterrupted;
    }
  }

  /** After a failed boot: free what can be freed, or just drop it if the engine broke. */
  private releaseAfterFailure(error: unknown): void {
    const broken = !(error instanceof SandboxFailure) || this.broken.has(error);
    const exhausted = error instanceof SandboxFailure && (error.payload.code === ErrorCode.SandboxOutOfMemory || error.payload.code === ErrorCode.SandboxStackOverflow);
    this.state = 'retired';
    if (!broken && !exhausted) this.disposeAll();
  }

  private disposeAll(): void {
    try {
      if (this.arena?.handle.alive) this.arena.handle.dispose();
      for (let i = this.owned.length - 1; i >= 0; i--) {
        const h = this.owned[i]!;
        if (h.alive) h.dispose();
      }
      this.context.dispose();
      this.runtime.dispose();
    } catch {
      // A runtime that trips QuickJS's leak assertion aborts only its own WASM instance, which is dropped here.
    }
  }
}

function isConsoleLevel(value: unknown): value is ConsoleEntry['level'] {
  return value === 'log' || value === 'info' || value === 'warn' || value === 'error' || value === 'debug';
}

export type { ErrorPayload };
