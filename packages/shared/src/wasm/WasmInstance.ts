/**
 * A node's own WebAssembly module, instantiated by `loadWasm`. The same interface locally (the engine's
 * WebAssembly) and on the edge (V8's WebAssembly on the host side of the sandbox): the module's memory is never
 * handed out as a view, so frames go in and out by copy, one copy each way, with every offset and length checked.
 */
export interface WasmInstance {
  /** Names of the module's exported functions. */
  readonly functions: readonly string[];
  /** Current size of the module's memory in bytes (0 when it has none). */
  memoryBytes(): number;
  /**
   * Calls an exported function with number arguments (i32, f32 and f64 parameters) and returns its number
   * result, or undefined for a function without one. A trap throws WASM_TRAP.
   */
  call(name: string, ...args: number[]): number | undefined;
  /** Copies `bytes` into the module's memory at `offset`. */
  write(offset: number, bytes: ArrayBufferView | ArrayBuffer): void;
  /** Copies `length` bytes of the module's memory from `offset` into a new Uint8Array. */
  read(offset: number, length: number): Uint8Array<ArrayBuffer>;
  /**
   * Copies `target.byteLength` bytes of the module's memory from `offset` into `target`, e.g. a result back into
   * the input frame's data, with no new buffer. On the edge `target` must be a buffer the edge made: the data of
   * an input (a frame passed to the method) or a buffer `read` returned (WASM_BAD_ARGUMENT otherwise).
   */
  readInto(offset: number, target: ArrayBufferView | ArrayBuffer): void;
}

/** Options of loadWasm when it runs outside the edge (on the edge, the sandbox's limits apply). */
export interface LoadWasmOptions {
  /** Largest memory the module may declare or be given, in bytes (default: the edge's default sandbox memory, 32 MiB). */
  maxMemoryBytes?: number;
}
