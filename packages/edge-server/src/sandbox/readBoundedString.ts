import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { GuestHeapExhausted } from './rawFailures.ts';

/**
 * A guest string, or undefined when it is not a string or longer than `maxChars` (checked before anything is
 * copied out). Throws GuestHeapExhausted when the guest heap has no room for the copy.
 */
export function readBoundedString(ctx: QuickJSContext, handle: QuickJSHandle, maxChars: number): string | undefined {
  if (ctx.typeof(handle) !== 'string') return undefined;
  // A string primitive's length is its own, non-configurable property: no guest code runs to read it.
  const length = ctx.getProp(handle, 'length').consume((h) => ctx.getNumber(h));
  if (!Number.isSafeInteger(length) || length > maxChars) return undefined;
  // The copy is made as UTF-8 inside the guest's heap first; when that allocation fails it comes back empty.
  const text = ctx.getString(handle);
  if (text.length === 0 && length > 0) throw new GuestHeapExhausted();
  return text;
}
