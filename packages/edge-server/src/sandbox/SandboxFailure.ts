import { ErrorCode, type ErrorPayload } from '@remotemedia/shared/errors';

/**
 * A failed sandbox operation inside a worker, already in wire shape. `fatal` means the instance can no longer
 * be trusted (a limit was hit or the engine broke) and has been retired.
 */
export class SandboxFailure extends Error {
  constructor(
    readonly payload: ErrorPayload,
    readonly fatal: boolean,
  ) {
    super(payload.message);
    this.name = 'SandboxFailure';
  }
}

/** Human reason for retiring a sandbox, reused in the SandboxDiscarded message of every later call. */
export function discardReason(payload: ErrorPayload): string {
  switch (payload.code) {
    case ErrorCode.SandboxTimeout:
      return 'a call exceeded its time limit';
    case ErrorCode.SandboxOutOfMemory:
      return 'it ran out of memory';
    case ErrorCode.SandboxStackOverflow:
      return 'its stack overflowed';
    case ErrorCode.SandboxCrashed:
      return 'its worker crashed or stopped responding';
    case ErrorCode.InvalidOutput:
      return 'it returned a forged result';
    default:
      return `a ${payload.code} failure`;
  }
}
