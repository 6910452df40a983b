/**
 * The few WebAssembly shapes used here. The package compiles without DOM typings (where TypeScript declares
 * WebAssembly), and it exists at run time in browsers and Node alike.
 */
export interface WasmMemoryObject {
  readonly buffer: ArrayBuffer;
}
export interface WasmCompiled {
  readonly __brand?: 'WebAssembly.Module';
}
export interface WasmInstanceObject {
  readonly exports: Record<string, unknown>;
}
export interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => WasmCompiled;
  Instance: new (module: WasmCompiled, imports: Record<string, Record<string, unknown>>) => WasmInstanceObject;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemoryObject;
  CompileError: new (...args: never[]) => Error;
  LinkError: new (...args: never[]) => Error;
  RuntimeError: new (...args: never[]) => Error;
}

/** The engine's WebAssembly, or undefined where there is none (QuickJS). */
export function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}
