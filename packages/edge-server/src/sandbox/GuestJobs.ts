import type { DisposableResult, QuickJSContext, QuickJSHandle, QuickJSRuntime, Scope } from 'quickjs-emscripten-core';
import type { GuestPhase } from './classifyFailure.ts';
import type { GuestDeadline } from './GuestDeadline.ts';
import { GuestThrow, Interrupted, NeverSettled } from './rawFailures.ts';

/**
 * Takes what guest code produced (a call's result, a promise, the jobs it queued) to completion under the
 * current deadline. Every handle it returns or throws (in a GuestThrow) is owned by the operation's `scope`.
 */
export class GuestJobs {
  constructor(
    private readonly context: QuickJSContext,
    private readonly runtime: QuickJSRuntime,
    private readonly deadline: GuestDeadline,
  ) {}

  /**
   * The call's value, or a GuestThrow with its exception. ctx.unwrapResult does not fit: it dumps the exception
   * from the host side, which runs the guest's toJSON hooks and copies strings of any length; the exception is
   * described by the prelude instead (describeGuestError).
   */
  unwrap(result: DisposableResult<QuickJSHandle, QuickJSHandle>, scope: Scope, phase: GuestPhase = 'run'): QuickJSHandle {
    if (result.error !== undefined) throw new GuestThrow(scope.manage(result.error), phase);
    return scope.manage(result.value);
  }

  /** Runs queued promise jobs under the current deadline (jobs can loop too). */
  drain(phase: GuestPhase, scope: Scope): void {
    while (this.runtime.hasPendingJob()) {
      this.deadline.shouldInterrupt();
      // An interrupted job can vanish without an error (seen with endless promise chains): trust the flag.
      if (this.deadline.interrupted) throw new Interrupted();
      const result = this.runtime.executePendingJobs();
      if (result.error !== undefined) throw new GuestThrow(scope.manage(result.error), phase);
      result.dispose();
    }
    if (this.deadline.interrupted) throw new Interrupted();
  }

  /** Waits (by running jobs) for a promise result; a plain value passes through. */
  settle(handle: QuickJSHandle, scope: Scope, phase: GuestPhase): QuickJSHandle {
    this.drain(phase, scope);
    const state = this.context.getPromiseState(handle);
    if (state.type === 'pending') throw new NeverSettled();
    if (state.type === 'rejected') throw new GuestThrow(scope.manage(state.error), phase);
    return state.value === handle ? handle : scope.manage(state.value);
  }
}
