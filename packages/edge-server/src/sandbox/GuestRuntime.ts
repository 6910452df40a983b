import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { ErrorCode, type ErrorPayload } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { layOutBinaryParts } from './binaryLayout.ts';
import { checkJsonShape } from './checkJsonShape.ts';
import { checkOutputFrames } from './checkOutputFrames.ts';
import { classifyFailure } from './classifyFailure.ts';
import type { DescribedError, FailureEvidence, GuestPhase } from './classifyFailure.ts';
import { GUEST_PRELUDE_SOURCE } from './guestPrelude.ts';
import { InvalidResult } from './InvalidResult.ts';
import { decodeFromGuest, encodeForGuest } from './marshal.ts';
import type { EncodedValue } from './marshal.ts';
import { ModuleLoader, describeMissing } from './ModuleLoader.ts';
import { instantiateQuickJS } from './quickjsWasm.ts';
import type { WasmMemory, WasmModule } from './quickjsWasm.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import {
  CONSOLE_MAX_BYTES_PER_CALL,
  CONSOLE_MAX_ENTRIES_PER_CALL,
  CONSOLE_MAX_ENTRY_CHARS,
  MAX_METHOD_NAME_CHARS,
  MAX_METHODS,
  maxInputBytesFor,
  quickjsMemoryLimitFor,
  resultBoundsFor,
  wasmPagesFor,
} from './SandboxLimits.ts';
import type { ResultBounds, SandboxLimits } from './SandboxLimits.ts';
import type { ConsoleEntry, SandboxFaults } from './workerProtocol.ts';

/** Extra guest time for describing an error or draining the console after the call's own budget is spent. */
const HOUSEKEEPING_MS = 100;
/**
 * Budget for evaluating the trusted prelude. Kept apart from the user's call limit: the first instance in a cold
 * worker runs it while V8 is still compiling the WASM code, which took over 300 ms here.
 */
export const PRELUDE_BUDGET_MS = 2000;

/** Longest error description (JSON of name, message and stack, as the prelude clips them) read from a guest. */
const DESCRIPTION_MAX_CHARS = 6 * (256 + 8192 + 16384) + 256;
/** Longest console drain a guest can honestly produce under the caps it was configured with (JSON-escaped). */
const CONSOLE_DRAIN_MAX_CHARS = 6 * (CONSOLE_MAX_BYTES_PER_CALL + CONSOLE_MAX_ENTRY_CHARS) + 64 * (CONSOLE_MAX_ENTRIES_PER_CALL + 1);
/** Longest method list a guest can honestly produce (one past the cap, so an excess is visible). */
const METHODS_MAX_CHARS = (MAX_METHODS + 1) * (6 * MAX_METHOD_NAME_CHARS + 3) + 2;

/** An exception value thrown inside the guest, still owned by the guest until classified. */
class GuestThrow {
  constructor(
    readonly handle: QuickJSHandle,
    readonly phase: GuestPhase,
  ) {}
}

/** The deadline fired; guest code may have been cut off without an exception of its own. */
class Interrupted extends Error {}

/** The call's promise was still pending after every promise job had run. */
class NeverSettled extends Error {}

/** A host allocation inside the guest's heap failed (a buffer, or the UTF-8 copy of a guest string). */
class GuestHeapExhausted extends Error {}

/** The prelude's functions, owned by the GuestRuntime and disposed with it. */
interface PreludeApi {
  configure: QuickJSHandle;
  pack: QuickJSHandle;
  setup: QuickJSHandle;
  invoke: QuickJSHandle;
  encode: QuickJSHandle;
  snapshot: QuickJSHandle;
  describeError: QuickJSHandle;
  drainConsole: QuickJSHandle;
}

const API_NAMES = ['configure', 'pack', 'setup', 'invoke', 'encode', 'snapshot', 'describeError', 'drainConsole'] as const;

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
  private readonly bounds: ResultBounds;
  private deadline = 0;
  /** Budget of the operation running now, for the timeout message. */
  private budgetMs = 0;
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
    this.bounds = resultBoundsFor(options.limits);
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
      const config = JSON.stringify({
        ...this.bounds,
        methods: MAX_METHODS,
        consoleEntries: CONSOLE_MAX_ENTRIES_PER_CALL,
        consoleBytes: CONSOLE_MAX_BYTES_PER_CALL,
        consoleEntryChars: CONSOLE_MAX_ENTRY_CHARS,
      });
      this.unwrap(ctx.callFunction(this.api.configure, ctx.undefined, temp(ctx.newString(config)))).dispose();
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
        namespace = this.settle(temp(this.unwrap(ctx.evalCode(source, entry, { type: 'module' }), 'load')), temp, 'load');
      } catch (error) {
        throw this.toFailure(error, '<load>');
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
      const method = this.options.restore ? '<restore>' : 'constructor';
      let methodsJson: QuickJSHandle;
      try {
        methodsJson = temp(
          this.unwrap(ctx.callFunction(this.api.setup, ctx.undefined, [nodeClass, temp(ctx.newString(input.json)), buffers, restoreFlag]), 'construct'),
        );
        this.drainJobs('construct');
      } catch (error) {
        throw this.toFailure(error, method);
      }
      this.methodList = Object.freeze(this.readMethods(methodsJson));
    });
  }

  /** The class's public method names, which the host sends to clients: bounded in number and length. */
  private readMethods(handle: QuickJSHandle): string[] {
    const { nodeName } = this.options;
    const text = this.boundedString(handle, METHODS_MAX_CHARS);
    let methods: unknown;
    try {
      methods = text === undefined ? undefined : JSON.parse(text);
    } catch {
      methods = undefined;
    }
    if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
      throw InvalidResult.forged('the sandbox reported malformed method names');
    }
    const refuse = (message: string): never => {
      throw new SandboxFailure({ code: ErrorCode.InvalidManifest, message, nodeName, method: '<load>' }, true);
    };
    if (methods.length > MAX_METHODS) refuse(`the class has more than ${MAX_METHODS} methods; a sandboxed class may have at most ${MAX_METHODS}`);
    const long = (methods as string[]).find((m) => m.length > MAX_METHOD_NAME_CHARS);
    if (long !== undefined) refuse(`the class has a method name of ${long.length} characters; at most ${MAX_METHOD_NAME_CHARS} are allowed`);
    return methods as string[];
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
      const value = this.settle(result, temp, 'run');
      const output = this.copyOut(temp(this.unwrap(ctx.callFunction(this.api.encode, ctx.undefined, value), 'encode')));
      checkOutputFrames(output, mode, this.options.limits.maxFrameBytes);
      return output;
    });
  }

  /** The instance's own enumerable fields as host values. */
  snapshot(): unknown {
    return this.guarded('snapshot', this.options.limits.callTimeoutMs, (temp) =>
      this.copyOut(temp(this.unwrap(this.context.callFunction(this.api.snapshot, this.context.undefined), 'encode'))),
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
    this.budgetMs = budgetMs;
    this.interrupted = false;
    let failure: SandboxFailure | undefined;
    try {
      const value = body(temp);
      if (this.interrupted) throw new Interrupted();
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

  private unwrap(result: { error?: QuickJSHandle; value?: QuickJSHandle }, phase: GuestPhase = 'run'): QuickJSHandle {
    if (result.error !== undefined) throw new GuestThrow(result.error, phase);
    return result.value as QuickJSHandle;
  }

  /** Runs queued promise jobs under the current deadline (jobs can loop too). */
  private drainJobs(phase: GuestPhase): void {
    while (this.runtime.hasPendingJob()) {
      if (Date.now() > this.deadline && !this.options.faults?.ignoreInterrupts) this.interrupted = true;
      // An interrupted job can vanish without an error (seen with endless promise chains): trust the flag.
      if (this.interrupted) throw new Interrupted();
      const result = this.runtime.executePendingJobs();
      if (result.error !== undefined) throw new GuestThrow(result.error, phase);
      result.dispose();
    }
    if (this.interrupted) throw new Interrupted();
  }

  /** Waits (by running jobs) for a promise result; plain values pass through. Returns a handle owned by `temp`. */
  private settle(handle: QuickJSHandle, temp: (h: QuickJSHandle) => QuickJSHandle, phase: GuestPhase): QuickJSHandle {
    this.drainJobs(phase);
    const state = this.context.getPromiseState(handle);
    if (state.type === 'pending') throw new NeverSettled();
    if (state.type === 'rejected') throw new GuestThrow(state.error, phase);
    return state.value === handle ? handle : temp(state.value);
  }

  /** A guest string, or undefined when it is longer than `maxChars` (checked before anything is copied out). */
  private boundedString(handle: QuickJSHandle, maxChars: number): string | undefined {
    const ctx = this.context;
    if (ctx.typeof(handle) !== 'string') return undefined;
    // A string primitive's length is its own, non-configurable property: no guest code runs to read it.
    const lengthHandle = ctx.getProp(handle, 'length');
    const length = ctx.getNumber(lengthHandle);
    lengthHandle.dispose();
    if (!Number.isSafeInteger(length) || length > maxChars) return undefined;
    // The copy is made as UTF-8 inside the guest's heap first; when that allocation fails it comes back empty.
    const text = ctx.getString(handle);
    if (text.length === 0 && length > 0) throw new GuestHeapExhausted();
    return text;
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

  /**
   * Decodes the prelude's [json, views] pair. Nothing the guest wrote is trusted: the JSON's length, nesting and
   * element count are bounded before it is parsed, the declared binary sizes are checked and bounded before the
   * arena is sized, and each binary part is copied out at most once, exactly as large as declared.
   */
  private copyOut(pair: QuickJSHandle): unknown {
    const ctx = this.context;
    const bounds = this.bounds;
    const jsonHandle = ctx.getProp(pair, 0);
    try {
      const forged = this.options.faults?.forgedResult;
      const text = forged ?? this.boundedString(jsonHandle, bounds.bytes);
      if (text === undefined) {
        if (ctx.typeof(jsonHandle) !== 'string') throw InvalidResult.forged('it is not JSON text');
        throw new InvalidResult(ErrorCode.MessageTooLarge, `its JSON text is longer than ${bounds.bytes} characters, the most a result may carry`, false);
      }
      checkJsonShape(text, 3 * bounds.depth + 4, 8 * bounds.values + 2 * bounds.binaryParts + 16);
      let envelope: unknown;
      try {
        envelope = JSON.parse(text);
      } catch {
        throw InvalidResult.forged('it is not valid JSON');
      }
      if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) throw InvalidResult.forged('it is not an envelope');
      const { v, b } = envelope as { v?: unknown; b?: unknown };
      const layout = layOutBinaryParts(b, bounds, text.length);
      let base = 0;
      if (layout.total > 0) {
        const arena = this.ensureArena(layout.total);
        this.unwrap(ctx.callFunction(this.api.pack, ctx.undefined, pair, arena.handle), 'encode').dispose();
        base = arena.ptr;
      }
      const heap = new Uint8Array(this.memory.buffer);
      const taken = new Uint8Array(layout.sizes.length);
      return decodeFromGuest(
        v,
        (index, byteOffset, byteLength) => {
          if (index >= layout.sizes.length) throw InvalidResult.forged(`it refers to binary part ${index}, which it did not send`);
          if (taken[index] !== 0) throw InvalidResult.forged(`it refers to binary part ${index} more than once`);
          const size = layout.sizes[index]!;
          if (byteOffset !== 0 || byteLength !== size) {
            throw InvalidResult.forged(`it reads ${byteLength} bytes at ${byteOffset} of binary part ${index}, which has ${size}`);
          }
          taken[index] = 1;
          const start = base + layout.offsets[index]!;
          return heap.slice(start, start + size);
        },
        bounds,
      );
    } finally {
      jsonHandle.dispose();
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
    if (ptr === 0) throw new GuestHeapExhausted();
    const ffi = this.quickjs.getFFI();
    const value = ffi.QTS_NewArrayBuffer(internals.ctx.value as never, ptr as never, size);
    return { handle: internals.memory.heapValueHandle(value as unknown as number), ptr };
  }

  /**
   * Delivers console output the guest buffered during the last operation. The guest's own caps can be subverted
   * (its console runs next to user code), so the host enforces count and bytes per call again here and replaces
   * the excess with one note saying how much was dropped.
   */
  private flushConsole(): void {
    const ctx = this.context;
    if (this.api.drainConsole === undefined) return;
    const savedInterrupted = this.interrupted;
    this.deadline = Date.now() + HOUSEKEEPING_MS;
    let drained: { e?: unknown; d?: unknown } | undefined;
    let unreadable = false;
    try {
      const result = ctx.callFunction(this.api.drainConsole, ctx.undefined);
      if (result.error !== undefined) {
        result.error.dispose();
        return;
      }
      let text: string | undefined;
      try {
        text = this.boundedString(result.value, CONSOLE_DRAIN_MAX_CHARS);
      } finally {
        result.value.dispose();
      }
      if (text === '') return;
      if (text === undefined) unreadable = true;
      else drained = JSON.parse(text) as { e?: unknown; d?: unknown };
    } catch {
      // Console output is best effort: a broken guest must not turn a result into an error.
      unreadable = true;
    } finally {
      this.interrupted = savedInterrupted;
    }
    const entries: ConsoleEntry[] = [];
    let dropped = typeof drained?.d === 'number' && Number.isSafeInteger(drained.d) && drained.d > 0 ? drained.d : 0;
    let bytes = 0;
    for (const item of Array.isArray(drained?.e) ? (drained.e as unknown[]) : []) {
      const entry = item as { level?: unknown; text?: unknown } | null;
      if (entry === null || typeof entry !== 'object' || typeof entry.text !== 'string' || !isConsoleLevel(entry.level)) continue;
      const text = entry.text.length > CONSOLE_MAX_ENTRY_CHARS ? `${entry.text.slice(0, CONSOLE_MAX_ENTRY_CHARS)}... (truncated)` : entry.text;
      const size = Buffer.byteLength(text, 'utf8');
      if (entries.length >= CONSOLE_MAX_ENTRIES_PER_CALL || bytes + size > CONSOLE_MAX_BYTES_PER_CALL) {
        dropped++;
        continue;
      }
      bytes += size;
      entries.push({ level: entry.level, text });
    }
    if (unreadable) {
      entries.push({ level: 'warn', text: 'console output of this call was dropped: the sandbox sent more than the console limits allow' });
    } else if (dropped > 0) {
      entries.push({
        level: 'warn',
        text: `${dropped} console messages dropped (more than ${CONSOLE_MAX_ENTRIES_PER_CALL} messages or ${CONSOLE_MAX_BYTES_PER_CALL / 1024} KiB in one call)`,
      });
    }
    if (entries.length > 0) this.options.onConsole(entries);
  }

  /** Classifies anything thrown during an operation; see classifyFailure for the rules. */
  private toFailure(error: unknown, method: string): SandboxFailure {
    const { nodeName, limits } = this.options;
    if (error instanceof SandboxFailure) {
      return error.payload.method === undefined ? new SandboxFailure({ ...error.payload, method }, error.fatal) : error;
    }
    const evidence = this.evidence(error);
    const classified = classifyFailure(evidence, { nodeName, method, limits });
    const failure = new SandboxFailure(classified.payload, classified.fatal);
    if (classified.engineBroken) this.broken.add(failure);
    return failure;
  }

  private evidence(error: unknown): FailureEvidence {
    const isOurs =
      error instanceof GuestThrow ||
      error instanceof Interrupted ||
      error instanceof NeverSettled ||
      error instanceof InvalidResult ||
      error instanceof GuestHeapExhausted;
    if (!isOurs) return { kind: 'escaped', error };
    if (this.interrupted) {
      const described = error instanceof GuestThrow ? this.describe(error.handle) : 'interrupted';
      const where = typeof described === 'string' ? { name: 'InternalError', stack: '' } : { name: described.name, stack: described.stack };
      return { kind: 'interrupted', budgetMs: this.budgetMs, ...where };
    }
    if (error instanceof InvalidResult) return { kind: 'invalid-result', result: error };
    if (error instanceof NeverSettled) return { kind: 'never-settled' };
    if (error instanceof GuestHeapExhausted) return { kind: 'thrown', phase: 'run', error: { name: 'InternalError', message: 'out of memory', stack: '' } };
    if (error instanceof Interrupted) return { kind: 'interrupted', budgetMs: this.budgetMs, name: 'InternalError', stack: '' };
    const described = this.describe(error.handle);
    if (described === 'interrupted') return { kind: 'describe-interrupted', budgetMs: HOUSEKEEPING_MS };
    const missing = error.phase === 'load' ? this.loader.lastMissing : undefined;
    return {
      kind: 'thrown',
      phase: error.phase,
      error: described,
      ...(missing !== undefined ? { missingModule: describeMissing(missing) } : {}),
    };
  }

  /**
   * Name, message and stack of a guest exception, read by the prelude under a short fresh deadline; 'interrupted'
   * when reading them (user getters) ran out of that time.
   */
  private describe(handle: QuickJSHandle): DescribedError | 'interrupted' {
    const ctx = this.context;
    const savedDeadline = this.deadline;
    const savedInterrupted = this.interrupted;
    this.deadline = Date.now() + HOUSEKEEPING_MS;
    this.interrupted = false;
    const outOfMemory = { name: 'InternalError', message: 'out of memory', stack: '' };
    try {
      if (this.api.describeError === undefined) return { name: 'Error', message: 'the sandbox failed to start', stack: '' };
      // QuickJS throws null when it runs out of memory while building its out-of-memory error. A guest that
      // throws null itself gets the same treatment, which only costs it its own instance.
      if (ctx.typeof(handle) === 'object' && ctx.sameValue(handle, ctx.null)) return outOfMemory;
      const result = ctx.callFunction(this.api.describeError, ctx.undefined, handle);
      if (result.error !== undefined) {
        result.error.dispose();
        if (this.interrupted) return 'interrupted';
        // Otherwise the trusted describer only fails when the guest has no memory left to build a string.
        return outOfMemory;
      }
      let text: string | undefined;
      try {
        text = this.boundedString(result.value, DESCRIPTION_MAX_CHARS);
      } catch (error) {
        if (error instanceof GuestHeapExhausted) return outOfMemory;
        throw error;
      } finally {
        result.value.dispose();
      }
      let parsed: Partial<Record<keyof DescribedError, unknown>> = {};
      try {
        const value: unknown = text === undefined ? undefined : JSON.parse(text);
        if (value !== null && typeof value === 'object') parsed = value;
      } catch {
        // Not what the prelude writes: describe the error as unreadable below.
      }
      const field = (value: unknown, max: number, fallback: string): string => (typeof value === 'string' ? value.slice(0, max) : fallback);
      return {
        name: field(parsed.name, 256, 'Error'),
        message: field(parsed.message, 8192 + 32, '[the error description could not be read]'),
        stack: field(parsed.stack, 16384 + 32, ''),
      };
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
