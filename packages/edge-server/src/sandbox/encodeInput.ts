import { ErrorCode } from '@remotemedia/shared/errors';
import { encodeForGuest, type EncodedValue } from './marshal.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import { maxInputBytesFor, type SandboxLimits } from './SandboxLimits.ts';

/**
 * Encodes a call's arguments (or constructor input, or restored state) for the guest, refused with InvalidInput
 * when the value cannot cross the membrane or would not fit the guest's heap.
 */
export function encodeInput(value: unknown, at: { nodeName: string; method: string; limits: SandboxLimits }): EncodedValue {
  const { nodeName, method, limits } = at;
  let input: EncodedValue;
  try {
    input = encodeForGuest(value);
  } catch (error) {
    throw new SandboxFailure(
      { code: ErrorCode.InvalidInput, name: 'TypeError', message: error instanceof Error ? error.message : String(error), nodeName, method },
      false,
    );
  }
  const size = input.json.length * 3 + input.buffers.reduce((sum, b) => sum + b.byteLength, 0);
  const max = maxInputBytesFor(limits);
  if (size > max) {
    throw new SandboxFailure(
      {
        code: ErrorCode.InvalidInput,
        message: `arguments of about ${size} bytes do not fit the sandbox (at most ${max} bytes per call with memoryBytes ${limits.memoryBytes})`,
        nodeName,
        method,
      },
      false,
    );
  }
  return input;
}
