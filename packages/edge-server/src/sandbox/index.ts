/** Running user node code: QuickJS sandboxes on worker threads. */
export { SandboxPool } from './SandboxPool.ts';
export type { CreateSandboxOptions, RestoredEvent, SandboxPoolOptions, SandboxPoolStats } from './SandboxPoolOptions.ts';
export { NodeSandbox } from './NodeSandbox.ts';
export { DEFAULT_SANDBOX_LIMITS, resolveSandboxLimits } from './SandboxLimits.ts';
export type { SandboxLimits } from './SandboxLimits.ts';
export type { ConsoleEntry } from './workerProtocol.ts';
export { TenantQueues } from './TenantQueues.ts';
export { shareRefusal, type FairShare } from './FairShare.ts';
export { classifyFailure, type ClassifiedFailure, type FailureContext, type FailureEvidence } from './classifyFailure.ts';
/** The membrane's value format and the host's encoder, for contract tests of the format. */
export { Tag, TYPED_ARRAY_KINDS, type Encoded, type TaggedValue } from './guest/valueFormat.ts';
export { encodeForGuest } from './marshal.ts';
/** How host kernels read a guest's typed arrays, and a bare QuickJS instance, for tests of hostile arrays. */
export { BadGuestArgument, GuestViews } from './GuestViews.ts';
export { compileQuickJSWasm, instantiateQuickJS } from './quickjsWasm.ts';
