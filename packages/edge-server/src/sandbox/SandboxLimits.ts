import { DEFAULT_LIMITS } from '@remotemedia/shared/protocol';

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
  /**
   * Most bytes (JSON text plus binary parts) one result may carry out of the sandbox. The edge sets it to its
   * maxMessageBytes: a larger result could not be sent anyway, and the host refuses it before copying anything.
   */
  maxResultBytes: number;
  /** Largest video/audio frame payload a result may hold (the edge's maxFrameBytes). */
  maxFrameBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 512 * 1024,
  callTimeoutMs: 1000,
  maxResultBytes: DEFAULT_LIMITS.maxMessageBytes,
  maxFrameBytes: DEFAULT_LIMITS.maxFrameBytes,
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
const MIN_RESULT_BYTES = 1024;
const MAX_RESULT_BYTES = 256 * 1024 * 1024;

/** Fills defaults and rejects limits that would make the sandbox unsafe or useless. */
export function resolveSandboxLimits(...layers: (Partial<SandboxLimits> | undefined)[]): SandboxLimits {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.memoryBytes !== undefined) limits.memoryBytes = layer.memoryBytes;
    if (layer.stackBytes !== undefined) limits.stackBytes = layer.stackBytes;
    if (layer.callTimeoutMs !== undefined) limits.callTimeoutMs = layer.callTimeoutMs;
    if (layer.maxResultBytes !== undefined) limits.maxResultBytes = layer.maxResultBytes;
    if (layer.maxFrameBytes !== undefined) limits.maxFrameBytes = layer.maxFrameBytes;
  }
  checkRange('memoryBytes', limits.memoryBytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES);
  checkRange('stackBytes', limits.stackBytes, MIN_STACK_BYTES, MAX_STACK_BYTES);
  checkRange('callTimeoutMs', limits.callTimeoutMs, 1, MAX_CALL_TIMEOUT_MS);
  checkRange('maxResultBytes', limits.maxResultBytes, MIN_RESULT_BYTES, MAX_RESULT_BYTES);
  checkRange('maxFrameBytes', limits.maxFrameBytes, MIN_RESULT_BYTES, MAX_RESULT_BYTES);
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

/**
 * Bounds on what one result may carry out of a sandbox, enforced by the guest's encoder and checked again by
 * the host (which trusts nothing the guest wrote). Encoding does constant work per value, so these also bound
 * the time a result takes to leave the sandbox.
 */
export interface ResultBounds {
  /** JSON text plus binary bytes: the smaller of maxResultBytes and the guest heap (nothing larger can exist). */
  bytes: number;
  /**
   * Nesting of containers (arrays, objects, Maps, Sets). Results travel inside protocol messages that a client
   * decodes with a 64-level limit; 48 leaves room for the message around them.
   */
  depth: number;
  /** Values of any kind, counted once per occurrence (a shared sub-object counts each time it is reached). */
  values: number;
  /** Typed arrays and ArrayBuffers. */
  binaryParts: number;
}

export const RESULT_MAX_DEPTH = 48;
export const RESULT_MAX_VALUES = 200_000;
export const RESULT_MAX_BINARY_PARTS = 1024;

export function resultBoundsFor(limits: SandboxLimits): ResultBounds {
  const heapBytes = wasmPagesFor(limits) * WASM_PAGE_BYTES - WASM_RESERVED_BYTES;
  return {
    bytes: Math.min(limits.maxResultBytes, heapBytes),
    depth: RESULT_MAX_DEPTH,
    values: RESULT_MAX_VALUES,
    binaryParts: RESULT_MAX_BINARY_PARTS,
  };
}

/**
 * Console output one call may send to the client, enforced on the host (a guest can subvert its own console):
 * every entry becomes a protocol message, so without a cap one call could flood the main thread.
 */
export const CONSOLE_MAX_ENTRIES_PER_CALL = 100;
export const CONSOLE_MAX_BYTES_PER_CALL = 64 * 1024;
export const CONSOLE_MAX_ENTRY_CHARS = 8 * 1024;

/** Public methods a sandboxed class may have, and the longest name; the list is sent to the client. */
export const MAX_METHODS = 1000;
export const MAX_METHOD_NAME_CHARS = 256;
