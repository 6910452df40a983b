import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { WasmShape } from './inspectWasm.ts';

/** Largest WebAssembly binary a node may load (what the engine compiles: its code size bounds compile work). */
export const WASM_MAX_MODULE_BYTES = 4 * 1024 * 1024;
/** Most entries a module's table may declare: 10,000 function references are plenty for compiled code. */
export const WASM_MAX_TABLE_ENTRIES = 10_000;
export const WASM_PAGE_BYTES = 64 * 1024;
/** The import module name everything a node's WebAssembly may import lives under. */
export const WASM_IMPORT_MODULE = 'env';

/** The memory the host creates for a module that imports `env.memory`, in pages. */
export interface ImportedMemoryPlan {
  readonly initial: number;
  readonly maximum: number;
}

/** How a module will be instantiated, once it passed the policy. */
export interface WasmPlan {
  /** Set when the module imports `env.memory`: the host creates it with these limits. */
  readonly importedMemory: ImportedMemoryPlan | undefined;
  /** Bytes the module's memory can ever reach (its declared or granted maximum): what it takes from the budget. */
  readonly reservedBytes: number;
}

function limit(message: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.WasmLimitExceeded, message);
}

/**
 * The rules a node's WebAssembly must meet before it is instantiated, the same on the edge and when the node
 * runs locally: it imports nothing but `env.memory` and `env.log` (a function); it has at most one memory, whose
 * maximum is declared and within `budgetBytes` (an imported memory gets `budgetBytes` as its maximum when it
 * declares none, since the host creates it); every table declares a maximum of at most WASM_MAX_TABLE_ENTRIES
 * (a table that may grow without one could take more memory than the whole sandbox).
 */
export function planWasmInstance(shape: WasmShape, budgetBytes: number): WasmPlan {
  for (const entry of shape.imports) {
    const allowed =
      entry.module === WASM_IMPORT_MODULE &&
      ((entry.name === 'memory' && entry.kind === 'memory') || (entry.name === 'log' && entry.kind === 'function'));
    if (!allowed) {
      throw new RemoteMediaError(
        ErrorCode.WasmInvalidModule,
        `the module imports ${entry.kind} "${entry.module}.${entry.name}", which the host does not provide (only env.memory and the function env.log)`,
      );
    }
  }
  for (const [index, table] of shape.tables.entries()) {
    if (table.initial > WASM_MAX_TABLE_ENTRIES || table.maximum === undefined || table.maximum > WASM_MAX_TABLE_ENTRIES) {
      throw limit(
        `table ${index} declares ${table.initial} entries and a maximum of ${table.maximum ?? 'none'}; a table must declare a maximum of at most ${WASM_MAX_TABLE_ENTRIES}`,
      );
    }
  }
  if (shape.memories.length > 1) throw limit(`the module has ${shape.memories.length} memories; at most one is allowed`);
  const memory = shape.memories[0];
  if (memory === undefined) return { importedMemory: undefined, reservedBytes: 0 };
  if (memory.shared || memory.memory64) throw limit('shared and 64-bit memories are not supported');
  const budgetPages = Math.floor(budgetBytes / WASM_PAGE_BYTES);
  const budget = `${budgetPages} pages (${budgetPages * WASM_PAGE_BYTES} bytes) left for this sandbox's WebAssembly`;
  if (memory.initial > budgetPages) throw limit(`the module's memory starts at ${memory.initial} pages; there are ${budget}`);
  if (memory.imported) {
    const maximum = Math.min(memory.maximum ?? budgetPages, budgetPages);
    return { importedMemory: { initial: memory.initial, maximum }, reservedBytes: maximum * WASM_PAGE_BYTES };
  }
  if (memory.maximum === undefined) {
    throw limit(`the module's memory declares no maximum, so it could grow without bound; declare one (e.g. (memory 1 64)) of at most ${budget}`);
  }
  if (memory.maximum > budgetPages) throw limit(`the module's memory may grow to ${memory.maximum} pages; there are ${budget}`);
  return { importedMemory: undefined, reservedBytes: memory.maximum * WASM_PAGE_BYTES };
}

/** Refuses a binary over WASM_MAX_MODULE_BYTES before anything reads it. */
export function checkWasmSize(byteLength: number, what: string): void {
  if (byteLength > WASM_MAX_MODULE_BYTES) {
    throw limit(`${what} is ${byteLength} bytes; a WebAssembly module may be at most ${WASM_MAX_MODULE_BYTES} bytes`);
  }
}
