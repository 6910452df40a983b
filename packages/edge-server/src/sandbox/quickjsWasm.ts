import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { newQuickJSWASMModuleFromVariant, newVariant } from 'quickjs-emscripten-core';
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';
import RELEASE_SYNC from '@jitl/quickjs-wasmfile-release-sync';

const require = createRequire(import.meta.url);

/**
 * The edge-server tsconfig has no DOM lib, which is where TypeScript declares WebAssembly; Node has it at run
 * time. These are the few shapes used here (a compiled module is opaque to us: it is only passed along).
 */
export interface WasmModule {
  readonly __brand?: 'WebAssembly.Module';
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let compiled: Promise<WasmModule> | undefined;

/**
 * The QuickJS WASM code, compiled once per process. Bellard's sync release build: asyncify builds are several
 * times slower per call and per pixel, and quickjs-ng ran pixel loops about half as fast.
 */
export function compileQuickJSWasm(): Promise<WasmModule> {
  compiled ??= readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm')).then((bytes) => wasm.compile(bytes));
  return compiled;
}

/**
 * A fresh QuickJS instance over its own fixed-size memory. QuickJS's memory limit alone undercounts (typed arrays
 * slipped past it and grew a shared memory to 2 GB); a memory with maximum === initial cannot grow at all, so
 * every allocation past it fails cleanly with "out of memory" inside the guest.
 */
export interface QuickJSInstance {
  quickjs: QuickJSWASMModule;
  memory: WasmMemory;
}

export function instantiateQuickJS(wasmModule: WasmModule, pages: number): Promise<QuickJSInstance> {
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  type VariantOptions = Parameters<typeof newVariant>[1];
  const variant = newVariant(RELEASE_SYNC, {
    wasmModule: wasmModule as VariantOptions['wasmModule'],
    wasmMemory: memory as VariantOptions['wasmMemory'],
  });
  return newQuickJSWASMModuleFromVariant(variant).then((quickjs) => ({
    quickjs,
    memory,
  }));
}
