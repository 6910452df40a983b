import { Scope, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core';
import type { GuestDeadline } from './GuestDeadline.ts';
import { DESCRIBED_MESSAGE_MAX_CHARS, DESCRIBED_NAME_MAX_CHARS, DESCRIBED_STACK_MAX_CHARS, type DescribedError } from './guest/guestApi.ts';
import { GuestHeapExhausted } from './rawFailures.ts';
import { readBoundedString } from './readBoundedString.ts';

/** Longest description a guest can honestly produce: each clipped field JSON-escaped (6 chars per char at most). */
const DESCRIPTION_MAX_CHARS = 6 * (DESCRIBED_NAME_MAX_CHARS + DESCRIBED_MESSAGE_MAX_CHARS + DESCRIBED_STACK_MAX_CHARS) + 256;
const OUT_OF_MEMORY: DescribedError = { name: 'InternalError', message: 'out of memory', stack: '' };

/**
 * Name, message and stack of a guest exception, read by the prelude's describeError (`describe`, undefined when
 * the prelude never started) under a short deadline of its own; 'interrupted' when reading them (user getters)
 * ran out of that time. The host never reads the exception itself: QuickJS's own dump would run the guest's
 * toJSON hooks and copy strings of any length.
 */
export function describeGuestError(
  ctx: QuickJSContext,
  describe: QuickJSHandle | undefined,
  thrown: QuickJSHandle,
  deadline: GuestDeadline,
): DescribedError | 'interrupted' {
  return deadline.housekeeping(() => {
    if (describe === undefined) return { name: 'Error', message: 'the sandbox failed to start', stack: '' };
    // QuickJS throws null when it runs out of memory while building its out-of-memory error. A guest that
    // throws null itself gets the same treatment, which only costs it its own instance.
    if (ctx.typeof(thrown) === 'object' && ctx.sameValue(thrown, ctx.null)) return OUT_OF_MEMORY;
    const result = ctx.callFunction(describe, ctx.undefined, thrown);
    if (result.error !== undefined) {
      result.error.dispose();
      if (deadline.interrupted) return 'interrupted';
      // Otherwise the trusted describer only fails when the guest has no memory left to build a string.
      return OUT_OF_MEMORY;
    }
    let text: string | undefined;
    try {
      text = Scope.withScope((scope) => readBoundedString(ctx, scope.manage(result.value), DESCRIPTION_MAX_CHARS));
    } catch (error) {
      if (error instanceof GuestHeapExhausted) return OUT_OF_MEMORY;
      throw error;
    }
    return parseDescription(text);
  });
}

/** The description's fields, each bounded again; anything but what the prelude writes reads as unreadable. */
function parseDescription(text: string | undefined): DescribedError {
  let parsed: Partial<Record<keyof DescribedError, unknown>> = {};
  try {
    const value: unknown = text === undefined ? undefined : JSON.parse(text);
    if (value !== null && typeof value === 'object') parsed = value;
  } catch {
    // Not what the prelude writes: described as unreadable below.
  }
  const field = (value: unknown, max: number, fallback: string): string => (typeof value === 'string' ? value.slice(0, max) : fallback);
  return {
    name: field(parsed.name, DESCRIBED_NAME_MAX_CHARS, 'Error'),
    message: field(parsed.message, DESCRIBED_MESSAGE_MAX_CHARS + 32, '[the error description could not be read]'),
    stack: field(parsed.stack, DESCRIBED_STACK_MAX_CHARS + 32, ''),
  };
}
