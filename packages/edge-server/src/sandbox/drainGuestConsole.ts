import { Scope, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core';
import type { GuestDeadline } from './GuestDeadline.ts';
import { readBoundedString } from './readBoundedString.ts';
import { CONSOLE_DRAIN_MAX_CHARS, readConsoleDrain } from './readConsoleDrain.ts';
import type { ConsoleEntry } from './workerProtocol.ts';

/**
 * The console output a guest buffered during the last operation, read through the prelude's drainConsole
 * (`drain`) under a short deadline of its own and checked by readConsoleDrain. Best effort: a broken guest
 * must not turn a result into an error, so its output is then reported as dropped.
 */
export function drainGuestConsole(ctx: QuickJSContext, drain: QuickJSHandle, deadline: GuestDeadline): ConsoleEntry[] {
  const text = deadline.housekeeping((): string | undefined | null => {
    try {
      const result = ctx.callFunction(drain, ctx.undefined);
      if (result.error !== undefined) {
        result.error.dispose();
        return null;
      }
      return Scope.withScope((scope) => readBoundedString(ctx, scope.manage(result.value), CONSOLE_DRAIN_MAX_CHARS));
    } catch {
      return undefined;
    }
  });
  return text === null ? [] : readConsoleDrain(text);
}
