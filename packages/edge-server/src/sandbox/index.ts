/** Running user node code: QuickJS sandboxes on worker threads. */
export { SandboxPool } from './SandboxPool.ts';
export type { CreateSandboxOptions, RestoredEvent, SandboxPoolOptions, SandboxPoolStats } from './SandboxPool.ts';
export { NodeSandbox } from './NodeSandbox.ts';
export { DEFAULT_SANDBOX_LIMITS, resolveSandboxLimits } from './SandboxLimits.ts';
export type { SandboxLimits } from './SandboxLimits.ts';
export type { ConsoleEntry } from './workerProtocol.ts';
export { TenantQueues } from './TenantQueues.ts';
export { shareRefusal, type FairShare } from './FairShare.ts';
export { classifyFailure, type ClassifiedFailure, type FailureContext, type FailureEvidence } from './classifyFailure.ts';
