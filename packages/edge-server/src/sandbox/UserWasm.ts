import { createHash } from 'node:crypto';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { decodeBase64 } from '@remotemedia/shared/package';
import { checkWasmSize, compileWasm, HOST_WASM_BRIDGE, instantiateWasm, type EngineWasmInstance, type WasmCompiled } from '@remotemedia/shared/wasm';
import type { GuestMemory } from './GuestMemory.ts';
import { GuestHeapExhausted } from './rawFailures.ts';
import type { WasmMemory } from './quickjsWasm.ts';
import { CONSOLE_MAX_BYTES_PER_CALL, CONSOLE_MAX_ENTRIES_PER_CALL, type SandboxLimits } from './SandboxLimits.ts';
import type { ConsoleEntry } from './workerProtocol.ts';

/** The guest's arguments naming a range of a buffer and an offset in a module's memory (checked on use). */
interface BufferArgs {
  offset: QuickJSHandle | undefined;
  buffer: QuickJSHandle | undefined;
  start: QuickJSHandle | undefined;
  length: QuickJSHandle | undefined;
}

/** Modules one sandbox may instantiate: each load is a new instance, so a loop of loads must end somewhere. */
export const WASM_MAX_INSTANCES = 16;
/** The name of every error the bridge throws into the guest (as locally); its `code` property holds the error code. */
export const WASM_ERROR_NAME = 'RemoteMediaError';
/** Compiled modules a worker keeps by content hash (compiled code is immutable, so sandboxes can share it). */
const COMPILED_CACHE_SIZE = 32;
const compiledCache = new Map<string, WasmCompiled>();

/**
 * A sandbox's own WebAssembly modules, run by V8 on the host side of the sandbox (the same worker thread), and
 * the bridge the guest's `loadWasm` reaches them through. The guest only ever holds a module id; every argument
 * that crosses is checked here, and bytes move with one copy each way between the guest's heap and the module's
 * memory (for a buffer the guest made itself, QuickJS's getArrayBuffer adds a temporary copy: only buffers the
 * host made, the call's frames and earlier reads, are read in place). Memories count against a budget equal to the sandbox's memory limit, shared by all its modules; a
 * module that never returns is stopped by the worker watchdog like any guest code.
 */
export class UserWasm {
  private readonly instances: EngineWasmInstance[] = [];
  private reservedBytes = 0;
  /** Codes of the errors thrown into the guest during the current operation, by message (for classifyFailure). */
  private readonly thrown = new Map<string, ErrorCode>();
  private logs: ConsoleEntry[] = [];
  private logBytes = 0;
  private logsDropped = 0;

  constructor(
    private readonly pkg: NodePackage,
    private readonly limits: SandboxLimits,
    private readonly context: QuickJSContext,
    private readonly guestMemory: GuestMemory,
    private readonly heap: WasmMemory,
  ) {}

  /** Bytes the sandbox's modules' memories take now. */
  memoryBytes(): number {
    return this.instances.reduce((sum, instance) => sum + instance.memoryBytes(), 0);
  }

  /** Starts an operation: errors thrown before it no longer decide its error code. */
  beginOperation(): void {
    this.thrown.clear();
  }

  /** The code of a WebAssemblyError the bridge threw during this operation, if `name`/`message` are one. */
  codeOf(name: string, message: string): ErrorCode | undefined {
    return name === WASM_ERROR_NAME ? this.thrown.get(message) : undefined;
  }

  /** env.log output since the last call, capped like the guest's console. */
  takeLogs(): ConsoleEntry[] {
    const entries = this.logs;
    if (this.logsDropped > 0) entries.push({ level: 'warn', text: `[wasm] ${this.logsDropped} log lines dropped (over the per-call cap)` });
    this.logs = [];
    this.logBytes = 0;
    this.logsDropped = 0;
    return entries;
  }

  /** Defines the bridge on the guest's global object (fixed: user code cannot replace it for other code). */
  install(): void {
    const ctx = this.context;
    const bridge = ctx.newObject();
    try {
      const define = (name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | undefined): void => {
        const handle = ctx.newFunction(name, (...args) => this.guard(() => fn(...args)));
        ctx.defineProp(bridge, name, { value: handle, configurable: false, enumerable: false });
        handle.dispose();
      };
      define('load', (specifier) => ctx.newString(this.load(this.stringArg(specifier, 'specifier'))));
      define('call', (id, name, ...args) => {
        const instance = this.instance(id);
        const numbers = args.map((arg, index) => this.numberArg(arg, `argument ${index}`));
        const result = instance.call(this.stringArg(name, 'name'), ...numbers);
        return result === undefined ? undefined : ctx.newNumber(result);
      });
      define('write', (id, offset, buffer, start, length) => {
        this.write(this.instance(id), { offset, buffer, start, length });
        return undefined;
      });
      define('read', (id, offset, length) => this.read(this.instance(id), offset, length));
      define('readInto', (id, offset, buffer, start, length) => {
        this.readInto(this.instance(id), { offset, buffer, start, length });
        return undefined;
      });
      define('memoryBytes', (id) => ctx.newNumber(this.instance(id).memoryBytes()));
      const global = ctx.global;
      ctx.defineProp(global, HOST_WASM_BRIDGE, { value: bridge, configurable: false, enumerable: false });
    } finally {
      bridge.dispose();
    }
  }

  private load(specifier: string): string {
    const path = this.resolve(specifier);
    if (this.instances.length >= WASM_MAX_INSTANCES) {
      throw new RemoteMediaError(ErrorCode.WasmLimitExceeded, `a sandbox may load at most ${WASM_MAX_INSTANCES} WebAssembly modules`);
    }
    const info = this.pkg.manifest.wasm?.find((file) => file.path === path);
    const bytes = decodeBase64(this.pkg.wasm?.[path] ?? '');
    if (info === undefined || bytes === undefined) {
      throw new RemoteMediaError(ErrorCode.ModuleNotFound, `the package has no WebAssembly binary ${path}`);
    }
    checkWasmSize(bytes.byteLength, path);
    // Checked here too: compiled modules are shared by hash across the worker's sandboxes, so a binary that is
    // not what its hash says must never reach the cache (a pool can be handed packages nobody verified).
    if (createHash('sha256').update(bytes).digest('hex') !== info.sha256) {
      throw new RemoteMediaError(ErrorCode.PackageIntegrity, `the WebAssembly binary ${path} does not match its SHA-256 in the manifest`);
    }
    let compiled = compiledCache.get(info.sha256);
    if (compiled === undefined) {
      compiled = compileWasm(bytes, path);
      if (compiledCache.size >= COMPILED_CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value!);
      compiledCache.set(info.sha256, compiled);
    }
    const loaded = instantiateWasm(bytes, {
      budgetBytes: this.limits.memoryBytes - this.reservedBytes,
      log: (text) => this.log(path, text),
      name: path,
      compiled,
    });
    this.reservedBytes += loaded.reservedBytes;
    this.instances.push(loaded.instance);
    return JSON.stringify({ id: this.instances.length - 1, functions: loaded.instance.functions });
  }

  /**
   * The package path a `loadWasm` specifier means: the packager mapped it, in the import map of each module that
   * wrote it, to a binary of the package. The guest cannot say which module calls (QuickJS has no
   * import.meta.url), so a specifier must mean the same binary everywhere in the package; the packager refuses
   * packages where it does not.
   */
  private resolve(specifier: string): string {
    const wasmPaths = new Set(this.pkg.manifest.wasm?.map((file) => file.path));
    const targets = new Set<string>();
    for (const module of this.pkg.manifest.modules) {
      const target = Object.hasOwn(module.imports, specifier) ? module.imports[specifier] : undefined;
      if (target !== undefined && wasmPaths.has(target)) targets.add(target);
    }
    const [path] = targets;
    if (path === undefined || targets.size > 1) {
      const why = targets.size > 1 ? `it names ${[...targets].join(' and ')} in different modules` : 'the packager found no loadWasm call with it';
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `loadWasm('${specifier.slice(0, 200)}'): the package has no WebAssembly binary for it (${why}); load binaries with a literal relative path, e.g. loadWasm('./blur.wasm', import.meta.url)`,
      );
    }
    return path;
  }

  /** Copies guest bytes (an ArrayBuffer of the guest heap, a range of it checked here) into the module's memory. */
  private write(instance: EngineWasmInstance, args: BufferArgs): void {
    const { offset, start, length } = this.rangeArgs(args);
    const target = instance.checkedMemory(offset, length, 'write');
    const tracked = args.buffer === undefined ? undefined : this.guestMemory.trackedBytes(args.buffer);
    const source = tracked === undefined ? this.guestBytes(args.buffer) : { value: tracked, dispose: () => {} };
    try {
      new Uint8Array(target).set(this.slice(source.value, start, length, 'write'), offset);
    } finally {
      source.dispose();
    }
  }

  /**
   * Copies module memory into a guest buffer in place. Only into buffers the host made (their heap location is
   * known): QuickJS offers no way to write into any other ArrayBuffer without a second copy.
   */
  private readInto(instance: EngineWasmInstance, args: BufferArgs): void {
    const { offset, start, length } = this.rangeArgs(args);
    const source = instance.checkedMemory(offset, length, 'readInto');
    const target = args.buffer === undefined ? undefined : this.guestMemory.trackedBytes(args.buffer);
    if (target === undefined) {
      throw new RemoteMediaError(
        ErrorCode.WasmBadArgument,
        'readInto: the target must be the data of an input of this call or a buffer read() returned; use read() for a new buffer',
      );
    }
    this.slice(target, start, length, 'readInto').set(new Uint8Array(source, offset, length));
  }

  private rangeArgs(args: BufferArgs): { offset: number; start: number; length: number } {
    return {
      offset: this.numberArg(args.offset, 'offset'),
      start: this.numberArg(args.start, 'byteOffset'),
      length: this.numberArg(args.length, 'byteLength'),
    };
  }

  /** `length` bytes of `bytes` from `start`, once checked to lie inside it. */
  private slice(bytes: Uint8Array, start: number, length: number, what: string): Uint8Array {
    if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(length) || start + length > bytes.byteLength) {
      throw new RemoteMediaError(
        ErrorCode.WasmBadArgument,
        `${what}: ${length} bytes at ${start} are not inside the ${bytes.byteLength}-byte buffer passed`,
      );
    }
    return bytes.subarray(start, start + length);
  }

  /** A new guest ArrayBuffer holding `length` bytes of the module's memory from `offset`. */
  private read(instance: EngineWasmInstance, offsetArg: QuickJSHandle, lengthArg: QuickJSHandle): QuickJSHandle {
    const offset = this.numberArg(offsetArg, 'offset');
    const length = this.numberArg(lengthArg, 'length');
    const source = instance.checkedMemory(offset, length, 'read');
    const { handle, ptr } = this.guestMemory.allocBuffer(length);
    new Uint8Array(this.heap.buffer, ptr, length).set(new Uint8Array(source, offset, length));
    this.guestMemory.track(handle, ptr, length);
    return handle;
  }

  /** The bytes of a guest ArrayBuffer, as a view of a temporary copy QuickJS makes in its own heap. */
  private guestBytes(handle: QuickJSHandle | undefined): { value: Uint8Array; dispose(): void } {
    if (handle === undefined || this.context.typeof(handle) !== 'object') {
      throw new RemoteMediaError(ErrorCode.WasmBadArgument, 'write: bytes must be an ArrayBuffer or a typed array');
    }
    try {
      return this.context.getArrayBuffer(handle);
    } catch {
      // QuickJS gives no other answer for "not an ArrayBuffer" and "no heap left for the copy".
      throw new RemoteMediaError(
        ErrorCode.WasmBadArgument,
        'write: bytes must be an ArrayBuffer or a typed array (or the sandbox heap has no room to read it)',
      );
    }
  }

  private instance(handle: QuickJSHandle): EngineWasmInstance {
    const id = this.context.typeof(handle) === 'number' ? this.context.getNumber(handle) : Number.NaN;
    const instance = Number.isInteger(id) ? this.instances[id] : undefined;
    if (instance === undefined) throw new RemoteMediaError(ErrorCode.WasmBadArgument, `no WebAssembly module has id ${String(id)}`);
    return instance;
  }

  private numberArg(handle: QuickJSHandle | undefined, what: string): number {
    if (handle === undefined || this.context.typeof(handle) !== 'number') {
      throw new RemoteMediaError(ErrorCode.WasmBadArgument, `${what} must be a number`);
    }
    return this.context.getNumber(handle);
  }

  private stringArg(handle: QuickJSHandle | undefined, what: string): string {
    if (handle === undefined || this.context.typeof(handle) !== 'string') {
      throw new RemoteMediaError(ErrorCode.WasmBadArgument, `${what} must be a string`);
    }
    const text = this.context.getString(handle);
    if (text.length > 1024) throw new RemoteMediaError(ErrorCode.WasmBadArgument, `${what} is over 1024 characters`);
    return text;
  }

  /** Runs a bridge function; a typed failure becomes a guest WebAssemblyError with the code as `code`. */
  private guard(body: () => QuickJSHandle | undefined): QuickJSHandle | { error: QuickJSHandle } | undefined {
    try {
      return body();
    } catch (error) {
      const ctx = this.context;
      // No heap left for a buffer read out of a module: the guest's own out-of-memory error, so it is classified
      // (and the sandbox retired) like any other.
      if (error instanceof GuestHeapExhausted) return { error: ctx.newError({ name: 'InternalError', message: 'out of memory' }) };
      if (!(error instanceof RemoteMediaError)) throw error;
      const handle = ctx.newError({ name: WASM_ERROR_NAME, message: error.message });
      ctx.newString(error.code).consume((code) => ctx.setProp(handle, 'code', code));
      if (this.thrown.size < 64) this.thrown.set(error.message, error.code);
      return { error: handle };
    }
  }

  private log(path: string, text: string): void {
    const line = `[wasm ${path}] ${text}`;
    if (this.logs.length >= CONSOLE_MAX_ENTRIES_PER_CALL || this.logBytes + line.length > CONSOLE_MAX_BYTES_PER_CALL) {
      this.logsDropped++;
      return;
    }
    this.logBytes += line.length;
    this.logs.push({ level: 'log', text: line });
  }
}
