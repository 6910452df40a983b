import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { inspectWasm } from './inspectWasm.ts';
import type { WasmInstance } from './WasmInstance.ts';
import { checkWasmSize, planWasmInstance, WASM_IMPORT_MODULE } from './wasmPolicy.ts';
import { webAssembly, type WasmCompiled, type WasmMemoryObject, type WebAssemblyApi } from './webAssemblyApi.ts';

/** Longest text one env.log call passes on; the rest is cut. */
export const WASM_LOG_MAX_BYTES = 1024;

export interface InstantiateWasmOptions {
  /** Bytes of memory the module may reserve (its declared or granted maximum). */
  budgetBytes: number;
  /** Where env.log(ptr, len) text goes. */
  log: (text: string) => void;
  /** Shown in messages: the specifier or path the module was loaded by. */
  name: string;
  /** An already compiled module for these bytes (the edge caches them by hash). */
  compiled?: WasmCompiled;
}

/** An instance and what it took from the budget. */
export interface InstantiatedWasm {
  readonly instance: EngineWasmInstance;
  readonly reservedBytes: number;
  readonly compiled: WasmCompiled;
}

function engine(): WebAssemblyApi {
  const api = webAssembly();
  if (api === undefined) throw new RemoteMediaError(ErrorCode.WasmInvalidModule, 'this JavaScript engine has no WebAssembly');
  return api;
}

/** Compiles a module (the engine validates every byte); a malformed one is WASM_INVALID_MODULE. */
export function compileWasm(bytes: Uint8Array, name: string): WasmCompiled {
  checkWasmSize(bytes.byteLength, name);
  const api = engine();
  try {
    return new api.Module(bytes);
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.WasmInvalidModule, `${name} is not a valid WebAssembly module: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Validates a module against the policy (wasmPolicy.ts) and instantiates it with the only imports there are:
 * env.memory (created here when the module imports it) and env.log. Nothing is allocated for the module before
 * the policy has accepted its declared sizes.
 */
export function instantiateWasm(bytes: Uint8Array, options: InstantiateWasmOptions): InstantiatedWasm {
  const { name } = options;
  checkWasmSize(bytes.byteLength, name);
  const compiled = options.compiled ?? compileWasm(bytes, name);
  const plan = planWasmInstance(inspectWasm(bytes), options.budgetBytes);
  const api = engine();
  let memory: WasmMemoryObject | undefined =
    plan.importedMemory === undefined ? undefined : new api.Memory({ initial: plan.importedMemory.initial, maximum: plan.importedMemory.maximum });
  const log = (ptr: unknown, len: unknown): void => {
    const buffer = memory?.buffer;
    if (buffer === undefined || typeof ptr !== 'number' || typeof len !== 'number') return;
    const start = ptr >>> 0;
    const end = Math.min(start + Math.min(len >>> 0, WASM_LOG_MAX_BYTES), buffer.byteLength);
    if (start >= end) return;
    options.log(new TextDecoder('utf-8').decode(new Uint8Array(buffer, start, end - start)));
  };
  const env: Record<string, unknown> = { log };
  if (memory !== undefined) env.memory = memory;
  let raw: { exports: Record<string, unknown> };
  try {
    raw = new api.Instance(compiled, { [WASM_IMPORT_MODULE]: env });
  } catch (error) {
    if (error instanceof api.RuntimeError) throw trapError(error, `${name} (its start function)`);
    throw new RemoteMediaError(ErrorCode.WasmInvalidModule, `${name} cannot be instantiated: ${(error as Error).message}`, { cause: error });
  }
  if (memory === undefined) {
    const exported = Object.values(raw.exports).find((value) => isMemory(value, api));
    memory = exported as WasmMemoryObject | undefined;
  }
  const functions = new Map<string, (...args: number[]) => unknown>();
  for (const [exportName, value] of Object.entries(raw.exports)) {
    if (typeof value === 'function') functions.set(exportName, value as (...args: number[]) => unknown);
  }
  return { instance: new EngineWasmInstance(name, functions, memory, api), reservedBytes: plan.reservedBytes, compiled };
}

function isMemory(value: unknown, api: WebAssemblyApi): boolean {
  const MemoryClass = api.Memory as unknown as abstract new (...args: never[]) => unknown;
  return value instanceof MemoryClass;
}

function trapError(error: Error, where: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.WasmTrap, `${where} trapped: ${error.message}`, { cause: error });
}

function badArgument(message: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.WasmBadArgument, message);
}

function bytesOf(bytes: ArrayBufferView | ArrayBuffer, what: string): Uint8Array {
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw badArgument(`${what}: bytes must be an ArrayBuffer or a typed array`);
}

function checkRange(offset: unknown, length: unknown, memoryBytes: number, what: string): void {
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw badArgument(`${what}: offset must be a non-negative integer, got ${String(offset).slice(0, 40)}`);
  }
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw badArgument(`${what}: length must be a non-negative integer, got ${String(length).slice(0, 40)}`);
  }
  if (offset + length > memoryBytes) {
    throw badArgument(`${what}: ${length} bytes at offset ${offset} do not fit in the module's memory of ${memoryBytes} bytes`);
  }
}

/** A module running on this engine: the local implementation, and what the edge's host runs for a sandbox. */
export class EngineWasmInstance implements WasmInstance {
  readonly functions: readonly string[];

  constructor(
    private readonly name: string,
    private readonly exports: ReadonlyMap<string, (...args: number[]) => unknown>,
    private readonly memory: WasmMemoryObject | undefined,
    private readonly api: WebAssemblyApi,
  ) {
    this.functions = Object.freeze([...exports.keys()]);
  }

  memoryBytes(): number {
    return this.memory?.buffer.byteLength ?? 0;
  }

  call(name: string, ...args: number[]): number | undefined {
    const fn = typeof name === 'string' ? this.exports.get(name) : undefined;
    if (fn === undefined) {
      throw badArgument(`${this.name} has no exported function "${String(name).slice(0, 80)}"; it has: ${this.functions.join(', ') || '(none)'}`);
    }
    for (const [index, arg] of args.entries()) {
      if (typeof arg !== 'number') throw badArgument(`${this.name}.${name}: argument ${index} must be a number, got ${typeof arg}`);
    }
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      if (error instanceof this.api.RuntimeError) throw trapError(error, `${this.name}.${name}`);
      if (error instanceof RangeError) throw trapError(error, `${this.name}.${name}`);
      // A function whose signature has an i64 or a reference type cannot be called with numbers.
      if (error instanceof TypeError) throw badArgument(`${this.name}.${name}: ${error.message}`);
      throw error;
    }
    if (result === undefined || typeof result === 'number') return result;
    throw badArgument(`${this.name}.${name} returned a ${typeof result}; only number results can be passed on`);
  }

  write(offset: number, bytes: ArrayBufferView | ArrayBuffer): void {
    const view = bytesOf(bytes, `${this.name}.write`);
    new Uint8Array(this.checkedMemory(offset, view.byteLength, 'write')).set(view, offset);
  }

  read(offset: number, length: number): Uint8Array<ArrayBuffer> {
    const buffer = this.checkedMemory(offset, length, 'read');
    return new Uint8Array(buffer.slice(offset, offset + length));
  }

  readInto(offset: number, target: ArrayBufferView | ArrayBuffer): void {
    const view = bytesOf(target, `${this.name}.readInto`);
    view.set(new Uint8Array(this.checkedMemory(offset, view.byteLength, 'readInto'), offset, view.byteLength));
  }

  /** The memory's current buffer once [offset, offset + length) is checked to lie inside it. */
  checkedMemory(offset: number, length: number, what: string): ArrayBuffer {
    const buffer = this.memory?.buffer;
    if (buffer === undefined) throw badArgument(`${this.name}.${what}: the module has no memory (export one named "memory", or import env.memory)`);
    checkRange(offset, length, buffer.byteLength, `${this.name}.${what}`);
    return buffer;
  }
}
