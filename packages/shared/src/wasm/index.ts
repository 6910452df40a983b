// A node's own WebAssembly: loadWasm and the rules every module meets, locally and on the edge.
export { loadWasm } from './loadWasm.ts';
export type { LoadWasmOptions, WasmInstance } from './WasmInstance.ts';
export { inspectWasm, type WasmShape, type WasmLimits, type WasmMemoryType, type WasmTableType, type WasmImportKind } from './inspectWasm.ts';
export {
  checkWasmSize,
  planWasmInstance,
  WASM_IMPORT_MODULE,
  WASM_MAX_MODULE_BYTES,
  WASM_MAX_TABLE_ENTRIES,
  WASM_PAGE_BYTES,
  type ImportedMemoryPlan,
  type WasmPlan,
} from './wasmPolicy.ts';
export {
  compileWasm,
  EngineWasmInstance,
  instantiateWasm,
  WASM_LOG_MAX_BYTES,
  type InstantiatedWasm,
  type InstantiateWasmOptions,
} from './instantiateWasm.ts';
export { HOST_WASM_BRIDGE, hostWasmBridge, type HostWasmBridge } from './hostWasmBridge.ts';
export type { WasmCompiled } from './webAssemblyApi.ts';
