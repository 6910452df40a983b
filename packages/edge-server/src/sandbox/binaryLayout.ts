import { ErrorCode } from '@remotemedia/shared/errors';
import { alignedSize } from './guest/valueFormat.ts';
import { InvalidResult } from './InvalidResult.ts';
import type { ResultBounds } from './SandboxLimits.ts';

/** Where each binary part of a result sits in the exchange arena. */
export interface BinaryLayout {
  sizes: readonly number[];
  offsets: readonly number[];
  /** Arena bytes the parts take, alignment included. */
  total: number;
}

/**
 * Checks the binary sizes a guest declared for a result and lays them out at aligned offsets (the value format's
 * alignedSize: the layout the prelude's pack() writes). Nothing here trusts the guest: sizes must be safe
 * non-negative integers, their number and sum within the bounds the guest's own encoder enforces, all in plain
 * (not 32-bit) arithmetic.
 * `jsonChars` is the length of the result's JSON text, which counts against the same byte bound.
 */
export function layOutBinaryParts(declared: unknown, bounds: ResultBounds, jsonChars: number): BinaryLayout {
  if (!Array.isArray(declared)) throw InvalidResult.forged('its binary table is not a list');
  if (declared.length > bounds.binaryParts) {
    throw InvalidResult.forged(`it declares ${declared.length} binary parts; at most ${bounds.binaryParts} can leave a sandbox`);
  }
  const sizes: number[] = [];
  const offsets: number[] = [];
  let total = 0;
  let sum = 0;
  for (const size of declared as unknown[]) {
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > bounds.bytes) {
      throw InvalidResult.forged(`it declares a binary part of ${String(size)} bytes`);
    }
    sum += size;
    // The encoder counts every byte against the bound before it gets here, so a larger sum is forged.
    if (sum > bounds.bytes) throw InvalidResult.forged(`its binary parts add up to more than ${bounds.bytes} bytes`);
    offsets.push(total);
    total += alignedSize(size);
    sizes.push(size);
  }
  if (sum + jsonChars > bounds.bytes) {
    throw new InvalidResult(
      ErrorCode.MessageTooLarge,
      `it carries ${sum + jsonChars} bytes; a result may carry at most ${bounds.bytes} bytes (the edge's maxMessageBytes, or the sandbox's memory if smaller)`,
      false,
    );
  }
  return { sizes, offsets, total };
}
