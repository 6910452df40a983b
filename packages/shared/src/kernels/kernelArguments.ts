import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';

/**
 * Argument checks every kernel runs before its first loop, in every runtime (V8 in the browser or Node, or the
 * edge's host side for a sandboxed caller). A failure is a KERNEL_INVALID_ARGUMENT error naming the kernel and
 * the argument. Sizes are checked in plain (not 32-bit) arithmetic, so no product can wrap.
 */

/** Largest width or height a kernel accepts: well past 8K video, and small enough that w*h*4 stays exact. */
export const MAX_DIMENSION = 16384;

export function kernelArgumentError(kernel: string, argument: string, problem: string): RemoteMediaError {
  return new RemoteMediaError(ErrorCode.KernelInvalidArgument, `${kernel}: argument '${argument}' ${problem}`);
}

/** An integer within [min, max]; NaN, fractions, infinities and non-numbers are rejected. */
export function intArg(kernel: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw kernelArgumentError(kernel, name, `must be an integer, got ${describe(value)}`);
  if (value < min || value > max) throw kernelArgumentError(kernel, name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** A finite number within [min, max]. */
export function numArg(kernel: string, name: string, value: unknown, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw kernelArgumentError(kernel, name, `must be a finite number, got ${describe(value)}`);
  if (value < min || value > max) throw kernelArgumentError(kernel, name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/**
 * A rectangle that lies inside a width x height image: whole numbers, at least one pixel. `names` are the
 * kernel's names for x, y, width and height.
 */
export function rectArg(
  kernel: string,
  rect: readonly [x: unknown, y: unknown, rectWidth: unknown, rectHeight: unknown],
  width: number,
  height: number,
  names: readonly [string, string, string, string] = ['x', 'y', 'rectWidth', 'rectHeight'],
): void {
  const x = intArg(kernel, names[0], rect[0], 0, width - 1);
  const y = intArg(kernel, names[1], rect[1], 0, height - 1);
  intArg(kernel, names[2], rect[2], 1, width - x);
  intArg(kernel, names[3], rect[3], 1, height - y);
}

/** Width and height of an image: integers in 1..MAX_DIMENSION. */
export function dimensions(kernel: string, width: unknown, height: unknown, prefix = ''): void {
  intArg(kernel, `${prefix}width`, width, 1, MAX_DIMENSION);
  intArg(kernel, `${prefix}height`, height, 1, MAX_DIMENSION);
}

type View = Uint8Array | Uint32Array | Float32Array | Float64Array;
type ViewCtor = new (length: number) => View;

/** A typed array of the given kind; a subclass or another kind is rejected. */
export function viewArg<T extends View>(kernel: string, name: string, value: unknown, kind: new (length: number) => T): T {
  if (!(value instanceof (kind as ViewCtor)) || Object.getPrototypeOf(value) !== kind.prototype) {
    throw kernelArgumentError(kernel, name, `must be a ${kind.name}, got ${describe(value)}`);
  }
  return value as T;
}

/** A buffer whose element count is exactly `expected`. */
export function lengthArg(kernel: string, name: string, view: View, expected: number): void {
  if (view.length !== expected) throw kernelArgumentError(kernel, name, `must hold ${expected} elements, has ${view.length}`);
}

/** Channels of a packed image from its byte length: 1 (gray) or 4 (rgba). */
export function channelsOf(kernel: string, name: string, view: Uint8Array, width: number, height: number): 1 | 4 {
  const pixels = width * height;
  if (view.length === pixels) return 1;
  if (view.length === pixels * 4) return 4;
  throw kernelArgumentError(
    kernel,
    name,
    `must hold ${width}x${height} gray (${pixels} bytes) or rgba (${pixels * 4} bytes) pixels, has ${view.length} bytes`,
  );
}

/**
 * Rejects an output that overlaps an input: the kernel would read pixels it already wrote. `sameAllowed` lets a
 * kernel that reads each element before writing it (point operations) work in place over the identical range.
 */
export function separate(kernel: string, outName: string, out: View, inName: string, input: View, sameAllowed: boolean): void {
  if (out.buffer !== input.buffer) return;
  const a = out.byteOffset;
  const b = input.byteOffset;
  if (a + out.byteLength <= b || b + input.byteLength <= a) return;
  if (sameAllowed && a === b && out.byteLength === input.byteLength) return;
  throw kernelArgumentError(
    kernel,
    outName,
    `overlaps '${inName}'${sameAllowed ? ' without being the same range' : ''}; pass a separate output buffer`,
  );
}

/**
 * A non-number argument as the edge's host passes it on for a sandboxed caller (it never reads guest objects):
 * only what it is, for the message.
 */
export class ForeignValue {
  constructor(readonly description: string) {}
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof ForeignValue) return value.description;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
