import { format } from 'node:util';
import {
  ErrorCode,
  RemoteError,
  RemoteMediaError,
  acceptedFormatsOf,
  collectResult,
  toAcceptedFormat,
  validateItem,
  type ConsoleLevel,
  type NodeClass,
} from '@remotemedia/shared';
import type { ConsoleLine, NodeDriver } from './NodeDriver.ts';

const LEVELS: readonly ConsoleLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

/**
 * Runs a node class in this process's V8 (`runNode(..., { sandbox: false })`): no limits, and a debugger works.
 * Errors come out as the edge reports them (USER_ERROR with the thrown name, message and stack; a V8 stack
 * overflow as SANDBOX_STACK_OVERFLOW), output frames are checked as the edge checks them, and console output is
 * captured while the node's own code runs. `runNode` copies what crosses the node's boundary (through the wire
 * codec), as it is copied on its way into and out of a sandbox.
 */
export async function openDirectNode(
  nodeClass: NodeClass,
  ctorArgs: unknown[],
  context: { maxFrameBytes: number; onConsole: (line: ConsoleLine) => void },
): Promise<NodeDriver> {
  const { maxFrameBytes, onConsole } = context;
  const nodeName = nodeClass.name || 'default';
  const guarded = async <T>(method: string, body: () => T | Promise<T>): Promise<T> => {
    const saved = globalThis.console;
    globalThis.console = capturingConsole(saved, onConsole);
    try {
      return await body();
    } catch (error) {
      throw userError(error, nodeName, method);
    } finally {
      globalThis.console = saved;
    }
  };
  const instance = (await guarded('constructor', () => new nodeClass(...(ctorArgs as never[])))) as unknown as Record<string, unknown>;
  const methods = publicMethods(instance);
  // Frames are converted to a format the class accepts, as the edge's sandbox worker converts them.
  const accepts = acceptedFormatsOf(instance, nodeName);
  const invoke = (method: string): unknown => (instance[method] as () => unknown).call(instance);
  const outputs = (method: string, items: unknown[]): unknown[] =>
    items.map((item, i) => checkFrame(item, `output[${i}]`, { nodeName, method, maxFrameBytes }));
  return {
    nodeName,
    methods,
    process: async (input) =>
      outputs(
        'process',
        await guarded('process', () =>
          collectResult((instance.process as (input: unknown) => unknown).call(instance, toAcceptedFormat(input, accepts)) as never),
        ),
      ),
    flush: async () => (methods.includes('flush') ? outputs('flush', await guarded('flush', () => collectResult(invoke('flush') as never))) : []),
    call: async (method) => checkFrame(await guarded(method, () => invoke(method)), 'result', { nodeName, method, maxFrameBytes }),
    close: async () => undefined,
  };
}

/** A console whose calls become lines (formatted as Node formats them); anything else is the real console's. */
function capturingConsole(real: Console, onConsole: (line: ConsoleLine) => void): Console {
  const capturing = Object.create(real) as Console;
  for (const level of LEVELS) {
    capturing[level] = (...args: unknown[]) => onConsole({ level, text: format(...args) });
  }
  return capturing;
}

/** Public methods along the prototype chain, as the sandbox lists them for the client. */
function publicMethods(instance: object): string[] {
  const names = new Set<string>();
  for (
    let p = Object.getPrototypeOf(instance) as object | null;
    p !== null && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name);
      if (name !== 'constructor' && descriptor !== undefined && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** A frame a node returns must agree with its own width, height, format and channels, as the edge requires. */
function checkFrame(item: unknown, path: string, where: { nodeName: string; method: string; maxFrameBytes: number }): unknown {
  try {
    return validateItem(item, path, where);
  } catch (error) {
    if (!(error instanceof RemoteMediaError)) throw error;
    throw new RemoteError({
      code: error.code === ErrorCode.FrameTooLarge ? ErrorCode.FrameTooLarge : ErrorCode.InvalidOutput,
      name: 'TypeError',
      message: `${where.method} returned a result the edge refuses: ${error.message}`,
      nodeName: where.nodeName,
      method: where.method,
    });
  }
}

/** What the edge reports for an exception from node code; the original stays reachable as `cause` for debugging. */
function userError(error: unknown, nodeName: string, method: string): RemoteError {
  const thrown = error instanceof Error ? error : undefined;
  const overflow = thrown instanceof RangeError && thrown.message === 'Maximum call stack size exceeded';
  const wrapped = new RemoteError({
    code: overflow ? ErrorCode.SandboxStackOverflow : ErrorCode.UserError,
    name: thrown?.name ?? 'Error',
    message: thrown?.message ?? String(error),
    ...(thrown?.stack !== undefined ? { stack: thrown.stack } : {}),
    nodeName,
    method,
  });
  Object.defineProperty(wrapped, 'cause', { value: error, configurable: true, writable: true });
  return wrapped;
}
