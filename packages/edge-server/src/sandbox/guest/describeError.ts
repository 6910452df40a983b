import { clip, record } from './containers.ts';
import { DESCRIBED_MESSAGE_MAX_CHARS, DESCRIBED_NAME_MAX_CHARS, DESCRIBED_STACK_MAX_CHARS, type DescribedError } from './guestApi.ts';
import { jsonStringify, StringCtor } from './intrinsics.ts';

/**
 * JSON of a DescribedError for any thrown value. Reading name, message and stack runs user getters: the host
 * calls this under a short deadline of its own.
 */
export const describeError = (e: unknown): string => {
  let name = 'Error';
  let message = '';
  let stack = '';
  try {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      const thrown = e as { name?: unknown; message?: unknown; stack?: unknown };
      const n = thrown.name;
      name = n === undefined ? 'Error' : StringCtor(n);
      const m = thrown.message;
      message = m === undefined ? '' : StringCtor(m);
      const s = thrown.stack;
      stack = typeof s === 'string' ? s : '';
    } else {
      message = StringCtor(e);
    }
  } catch {
    message = message || '[error could not be described]';
  }
  const out = record<DescribedError>();
  out.name = clip(name, DESCRIBED_NAME_MAX_CHARS);
  out.message = clip(message, DESCRIBED_MESSAGE_MAX_CHARS);
  out.stack = clip(stack, DESCRIBED_STACK_MAX_CHARS);
  return jsonStringify(out);
};
