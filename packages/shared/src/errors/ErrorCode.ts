/**
 * Stable error codes. They cross the wire as strings, so never rename one; add new ones instead.
 * The table in docs/errors.md explains what a person should do about each.
 */
export const ErrorCode = {
  // Protocol and transport
  MalformedMessage: 'MALFORMED_MESSAGE',
  UnsupportedVersion: 'UNSUPPORTED_VERSION',
  MessageTooLarge: 'MESSAGE_TOO_LARGE',
  FrameTooLarge: 'FRAME_TOO_LARGE',
  ReassemblyLimit: 'REASSEMBLY_LIMIT',
  RateLimited: 'RATE_LIMITED',
  ConnectionFailed: 'CONNECTION_FAILED',
  ConnectionClosed: 'CONNECTION_CLOSED',
  SessionClosed: 'SESSION_CLOSED',
  FrameDropped: 'FRAME_DROPPED',
  Timeout: 'TIMEOUT',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  TooManySessions: 'TOO_MANY_SESSIONS',
  Disposed: 'DISPOSED',
  SlowConsumer: 'SLOW_CONSUMER',
  FrameExpired: 'FRAME_EXPIRED',
  FrameDecodeFailed: 'FRAME_DECODE_FAILED',
  PeerWorkerLost: 'PEER_WORKER_LOST',
  ClusterUnavailable: 'CLUSTER_UNAVAILABLE',
  // Nodes and pipelines
  UnknownNode: 'UNKNOWN_NODE',
  InvalidConfig: 'INVALID_CONFIG',
  InvalidInput: 'INVALID_INPUT',
  NodeFailed: 'NODE_FAILED',
  BuiltinTimeout: 'BUILTIN_TIMEOUT',
  DivisionByZero: 'DIVISION_BY_ZERO',
  InvalidManifest: 'INVALID_MANIFEST',
  ModelUnavailable: 'MODEL_UNAVAILABLE',
  ModelLoadFailed: 'MODEL_LOAD_FAILED',
  // Packaging and deployment
  PackageTooLarge: 'PACKAGE_TOO_LARGE',
  ModuleNotFound: 'MODULE_NOT_FOUND',
  UnresolvableImport: 'UNRESOLVABLE_IMPORT',
  PackageIntegrity: 'PACKAGE_INTEGRITY',
  UnknownPackage: 'UNKNOWN_PACKAGE',
  UnknownNodeInstance: 'UNKNOWN_NODE_INSTANCE',
  TooManySandboxes: 'TOO_MANY_SANDBOXES',
  TooManyBuiltins: 'TOO_MANY_BUILTINS',
  StateTooLarge: 'STATE_TOO_LARGE',
  // Sandbox
  UserError: 'USER_ERROR',
  CompileError: 'COMPILE_ERROR',
  SandboxTimeout: 'SANDBOX_TIMEOUT',
  SandboxOutOfMemory: 'SANDBOX_OUT_OF_MEMORY',
  SandboxStackOverflow: 'SANDBOX_STACK_OVERFLOW',
  SandboxCrashed: 'SANDBOX_CRASHED',
  SandboxDiscarded: 'SANDBOX_DISCARDED',
  UnknownMethod: 'UNKNOWN_METHOD',
  InvalidOutput: 'INVALID_OUTPUT',
  KernelInvalidArgument: 'KERNEL_INVALID_ARGUMENT',
  WasmInvalidModule: 'WASM_INVALID_MODULE',
  WasmLimitExceeded: 'WASM_LIMIT_EXCEEDED',
  WasmTrap: 'WASM_TRAP',
  WasmBadArgument: 'WASM_BAD_ARGUMENT',
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

/** Codes after which a sandboxed instance is thrown away: its state can no longer be trusted. */
export const SANDBOX_FATAL_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.SandboxTimeout,
  ErrorCode.SandboxOutOfMemory,
  ErrorCode.SandboxStackOverflow,
  ErrorCode.SandboxCrashed,
]);
