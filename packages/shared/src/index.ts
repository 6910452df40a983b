// Public surface of @remotemedia/shared: every curated group, each also importable on its own
// (`@remotemedia/shared/errors`, `/frames`, ...). Each group file names what it exports; this one only lists groups.
export * from './errors/index.ts';
export * from './frames/index.ts';
export * from './protocol/index.ts';
export * from './codec/index.ts';
export * from './transport/index.ts';
export * from './pipeline/index.ts';
export * from './nodes/index.ts';
export * from './package/index.ts';
export { TypedEmitter, type EventMap, type TypedEmitterOptions } from './events/TypedEmitter.ts';
export { PendingRequests, type WaitOptions } from './rpc/PendingRequests.ts';
export { locateJsonError, type JsonSyntaxProblem } from './json/locateJsonError.ts';
export { lineAndColumn, parseJsonText, type JsonText } from './json/parseJsonText.ts';
export { loadWasm, type LoadWasmOptions, type WasmInstance } from './wasm/index.ts';
