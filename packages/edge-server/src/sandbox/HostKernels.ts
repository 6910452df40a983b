import type { QuickJSContext, QuickJSHandle, Scope } from 'quickjs-emscripten-core';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { HOST_ERROR_SEPARATOR, HOST_KERNELS_GLOBAL, KERNEL_TABLE, type KernelEntry } from '@remotemedia/shared/kernels';
import type { GuestDeadline } from './GuestDeadline.ts';
import { BadGuestArgument, GuestViews } from './GuestViews.ts';
import { verifyGuestViews } from './verifyGuestViews.ts';

/** Whether GuestViews' layout matched the QuickJS build (checked once per process, on the first sandbox). */
let layoutMatches: boolean | undefined;

/**
 * Gives a guest the kernels of @remotemedia/shared/kernels as host functions: a frozen record of one function per
 * kernel under a non-writable, non-configurable global, defined before any user code runs (the guest's copy of
 * the kernels module finds it there). Each call resolves its typed-array arguments to views of the guest's own
 * memory (GuestViews), refuses to start once the call's deadline has passed, and runs the same plain-JS kernel
 * the browser and Node run, which checks every argument before its first loop. A failure comes back as
 * `CODE\nmessage` text, which the guest's module throws as a RemoteMediaError.
 */
export function installHostKernels(context: QuickJSContext, views: GuestViews, deadline: GuestDeadline, scope: Scope): void {
  layoutMatches ??= verifyGuestViews(context, views, scope);
  const table = scope.manage(context.newObject());
  for (const [name, entry] of Object.entries(KERNEL_TABLE) as [string, KernelEntry][]) {
    const fn = scope.manage(
      context.newFunction(name, (...args: QuickJSHandle[]) => {
        const failed = runHosted(name, entry, args, views, deadline);
        return failed === undefined ? undefined : context.newString(failed);
      }),
    );
    context.setProp(table, name, fn);
  }
  const define = context.evalCode(
    `(function (table) { 'use strict'; Object.freeze(table); Object.defineProperty(globalThis, ${JSON.stringify(HOST_KERNELS_GLOBAL)}, { value: table }); })`,
    'remotemedia:kernels',
  );
  const fn = scope.manage(context.unwrapResult(define));
  scope.manage(context.unwrapResult(context.callFunction(fn, context.undefined, table)));
}

/** Runs one kernel for the guest; undefined on success, else the error as `CODE\nmessage`. */
function runHosted(name: string, entry: KernelEntry, args: QuickJSHandle[], views: GuestViews, deadline: GuestDeadline): string | undefined {
  if (layoutMatches !== true) {
    return failure(ErrorCode.Internal, `${name}: host kernels are disabled on this edge: the QuickJS build's object layout is not the one they read`);
  }
  if (args.length !== entry.args.length) {
    return failure(ErrorCode.KernelInvalidArgument, `${name}: takes ${entry.args.length} arguments, got ${args.length}`);
  }
  // The interrupt handler only runs between guest instructions: a kernel started after the deadline would run
  // its whole size unchecked, so it does not start.
  if (deadline.shouldInterrupt()) return failure(ErrorCode.SandboxTimeout, `${name}: the call's deadline passed before the kernel started`);
  const values: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const { name: argName, kind } = entry.args[i]!;
    const value = views.read(args[i]!, kind);
    if (value instanceof BadGuestArgument) return failure(ErrorCode.KernelInvalidArgument, `${name}: argument '${argName}' ${value.problem}`);
    values.push(value);
  }
  try {
    (entry.run as (...a: unknown[]) => void)(...values);
    return undefined;
  } catch (error) {
    if (error instanceof RemoteMediaError) return failure(error.code, error.message);
    return failure(ErrorCode.Internal, `${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function failure(code: ErrorCode, message: string): string {
  return `${code}${HOST_ERROR_SEPARATOR}${message}`;
}
