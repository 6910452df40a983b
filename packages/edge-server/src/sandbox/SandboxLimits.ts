/**
 * Per-sandbox resource limits. Every limit is always set: a sandbox without one would let a single user node
 * take the whole edge down.
 */
export interface SandboxLimits {
  /**
   * Size of the sandbox's own WebAssembly memory, fixed and non-growable. This is the hard cap: QuickJS's own
   * allocation accounting undercounts typed arrays, so only a memory that cannot grow really bounds a guest.
   */
  memoryBytes: number;
  /** QuickJS stack budget. Kept at or below 1 MiB so QuickJS reports an overflow before the worker's V8 stack runs out. */
  stackBytes: number;
  /** Wall time one call (including the promise jobs it schedules) may run inside the guest. */
  callTimeoutMs: number;
}

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 512 * 1024,
  callTimeoutMs: 1000,
});

/** WASM page size; memories are sized in whole pages. */
export const WASM_PAGE_BYTES = 64 * 1024;

/**
 * Static data plus the 5 MiB emscripten stack of the QuickJS build sit below the heap (the first malloc lands at
 * ~5.1 MiB); the guest heap only gets what is above this.
 */
export const WASM_RESERVED_BYTES = 6 * 1024 * 1024;

const MIN_MEMORY_BYTES = 16 * 1024 * 1024;
const MAX_MEMORY_BYTES = 1024 * 1024 * 1024;
const MIN_STACK_BYTES = 64 * 1024;
const MAX_STACK_BYTES = 1024 * 1024;
const MAX_CALL_TIMEOUT_MS = 60_000;

/** Fills defaults and rejects limits that would make the sandbox unsafe or useless. */
export function resolveSandboxLimits(...layers: (Partial<SandboxLimits> | undefined)[]): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.memoryBytes !== undefined) limits.memoryBytes = layer.memoryBytes;
    if (layer.stackBytes !== undefined) limits.stackBytes = layer.stackBytes;
    if (layer.callTimeoutMs !== undefined) limits.callTimeoutMs = layer.callTimeoutMs;
  }
  checkRange('memoryBytes', limits.memoryBytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES);
  checkRange('stackBytes', limits.stackBytes, MIN_STACK_BYTES, MAX_STACK_BYTES);
  checkRange('callTimeoutMs', limits.callTimeoutMs, 1, MAX_CALL_TIMEOUT_MS);
  return limits;
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`sandbox limit ${name} must be between ${min} and ${max}, got ${value}`);
  }
}

/** Pages of the sandbox's fixed WebAssembly memory. */
export function wasmPagesFor(limits: SandboxLimits): number {
  return Math.ceil(limits.memoryBytes / WASM_PAGE_BYTES);
}

/**
 * QuickJS's own allocation limit: 80% of the heap above the reserved area. The rest is headroom for the host's
 * mallocs (strings and buffers it hands to QuickJS), which would otherwise fail with no clean error.
 */
export function quickjsMemoryLimitFor(limits: SandboxLimits): number {
  return Math.floor((wasmPagesFor(limits) * WASM_PAGE_BYTES - WASM_RESERVED_BYTES) * 0.8);
}

/** Largest encoded argument payload (JSON plus binary) the host will copy into a sandbox per call. */
export function maxInputBytesFor(limits: SandboxLimits): number {
  return Math.floor(quickjsMemoryLimitFor(limits) / 2);
}
