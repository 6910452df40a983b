/**
 * What the edge's sandbox provides to guest code on `globalThis` for `loadWasm` (absent anywhere else). Each
 * function runs on the host, which trusts none of its arguments. Module ids are per sandbox.
 */
export interface HostWasmBridge {
  /** Loads the package's binary that `specifier` names; returns JSON `{ id, functions }`. */
  load(specifier: string): string;
  call(id: number, name: string, ...args: number[]): number | undefined;
  write(id: number, offset: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): void;
  read(id: number, offset: number, length: number): ArrayBuffer;
  readInto(id: number, offset: number, buffer: ArrayBuffer, byteOffset: number, byteLength: number): void;
  memoryBytes(id: number): number;
}

/** The global the sandbox defines the bridge under. */
export const HOST_WASM_BRIDGE = '__remotemediaWasm';

export function hostWasmBridge(): HostWasmBridge | undefined {
  const bridge = (globalThis as Record<string, unknown>)[HOST_WASM_BRIDGE];
  return typeof bridge === 'object' && bridge !== null ? (bridge as HostWasmBridge) : undefined;
}
