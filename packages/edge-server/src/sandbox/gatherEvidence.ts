import type { QuickJSHandle } from 'quickjs-emscripten-core';
import type { ErrorCode } from '@remotemedia/shared/errors';
import type { DescribedError, FailureEvidence } from './classifyFailure.ts';
import { HOUSEKEEPING_MS, type GuestDeadline } from './GuestDeadline.ts';
import { InvalidResult } from './InvalidResult.ts';
import { describeMissing, type MissingModule } from './ModuleLoader.ts';
import { GuestHeapExhausted, GuestThrow, Interrupted, NeverSettled } from './rawFailures.ts';

/** What the runtime can tell about the operation that failed. */
export interface EvidenceSources {
  deadline: GuestDeadline;
  /** Reads a guest exception (describeGuestError). */
  describe: (thrown: QuickJSHandle) => DescribedError | 'interrupted';
  /** The last module that failed to load. */
  lastMissing: MissingModule | undefined;
  /** The code of an error a host function threw into the guest (e.g. WebAssembly), when `error` is one. */
  hostCode?: (error: DescribedError) => ErrorCode | undefined;
}

/**
 * What went wrong in an operation, from what it threw and what the runtime saw (the deadline fired, a module
 * was missing), for classifyFailure. Anything not raised by the runtime itself escaped from the engine.
 */
export function gatherEvidence(error: unknown, sources: EvidenceSources): FailureEvidence {
  const isOurs =
    error instanceof GuestThrow ||
    error instanceof Interrupted ||
    error instanceof NeverSettled ||
    error instanceof InvalidResult ||
    error instanceof GuestHeapExhausted;
  if (!isOurs) return { kind: 'escaped', error };
  const { budgetMs, interrupted } = sources.deadline;
  if (interrupted) {
    const described = error instanceof GuestThrow ? sources.describe(error.handle) : 'interrupted';
    const where = typeof described === 'string' ? { name: 'InternalError', stack: '' } : { name: described.name, stack: described.stack };
    return { kind: 'interrupted', budgetMs, ...where };
  }
  if (error instanceof InvalidResult) return { kind: 'invalid-result', result: error };
  if (error instanceof NeverSettled) return { kind: 'never-settled' };
  if (error instanceof GuestHeapExhausted)
    return { kind: 'thrown', phase: 'run', error: { name: 'InternalError', message: 'out of memory', stack: '' } };
  if (error instanceof Interrupted) return { kind: 'interrupted', budgetMs, name: 'InternalError', stack: '' };
  const described = sources.describe(error.handle);
  if (described === 'interrupted') return { kind: 'describe-interrupted', budgetMs: HOUSEKEEPING_MS };
  const missing = error.phase === 'load' ? sources.lastMissing : undefined;
  const hostCode = sources.hostCode?.(described);
  return {
    kind: 'thrown',
    phase: error.phase,
    error: described,
    ...(missing !== undefined ? { missingModule: describeMissing(missing) } : {}),
    ...(hostCode !== undefined ? { hostCode } : {}),
  };
}
