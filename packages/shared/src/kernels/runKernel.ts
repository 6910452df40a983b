import { ErrorCode, isErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { KERNEL_TABLE, type KernelName } from './kernelTable.ts';

/**
 * The global the edge's sandbox defines (non-writable, non-configurable, before user code runs) holding one
 * host function per kernel. A host function returns undefined on success, or `CODE\nmessage` for an error.
 */
export const HOST_KERNELS_GLOBAL = '__remotemediaHostKernels';

/** Separates the code from the message in a host function's error text. */
export const HOST_ERROR_SEPARATOR = '\n';

type HostKernel = (...args: unknown[]) => string | undefined;
const host = (globalThis as unknown as Record<string, Partial<Record<KernelName, HostKernel>> | undefined>)[HOST_KERNELS_GLOBAL];

/**
 * Runs a kernel where the caller is: inside the edge's sandbox, on the host (V8) over the caller's buffers in
 * place; anywhere else (browser, Node), the same plain-JS code right here. Either way, bad arguments throw a
 * KERNEL_INVALID_ARGUMENT RemoteMediaError before any work.
 */
export function runKernel(name: KernelName, ...args: unknown[]): void {
  const hosted = host?.[name];
  if (hosted === undefined) {
    (KERNEL_TABLE[name].run as (...a: unknown[]) => void)(...args);
    return;
  }
  const failure = hosted(...args);
  if (failure !== undefined) {
    const cut = failure.indexOf(HOST_ERROR_SEPARATOR);
    const code = failure.slice(0, cut);
    throw new RemoteMediaError(isErrorCode(code) ? code : ErrorCode.Internal, failure.slice(cut + 1));
  }
}

/** Whether kernels run on the edge's host (inside a sandbox) rather than as plain JS here. */
export function kernelsRunOnHost(): boolean {
  return host !== undefined;
}
