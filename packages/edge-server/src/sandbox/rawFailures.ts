import type { QuickJSHandle } from 'quickjs-emscripten-core';
import type { GuestPhase } from './classifyFailure.ts';

/**
 * How a guest operation went wrong, as the runtime first sees it, before classifyFailure turns it into an error
 * code. None of these leaves GuestRuntime.
 */

/** An exception value thrown inside the guest; the handle is owned by the operation's scope. */
export class GuestThrow {
  constructor(
    readonly handle: QuickJSHandle,
    readonly phase: GuestPhase,
  ) {}
}

/** The deadline fired; guest code may have been cut off without an exception of its own. */
export class Interrupted extends Error {}

/** The call's promise was still pending after every promise job had run. */
export class NeverSettled extends Error {}

/** A host allocation inside the guest's heap failed (a buffer, or the UTF-8 copy of a guest string). */
export class GuestHeapExhausted extends Error {}
