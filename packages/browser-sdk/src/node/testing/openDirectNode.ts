import { format } from 'node:util';
import { ErrorCode, RemoteError, RemoteMediaError, collectResult, validateItem, type ConsoleLevel, type NodeClass } from '@remotemedia/shared';
import type { ConsoleLine, NodeDriver } from './NodeDriver.ts';

const LEVELS: readonly ConsoleLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

/**
 * Runs a node class in this process's V8 (`runNode(..., { sandbox: false })`): no limits, a debugger works, and
 * what crosses the node's boundary is copied (structuredClone) as it is on its way into and out of a sandbox, so a
 * node that mutates its input or hands out its own state behaves as it would on the edge. Errors come out as the
 * edge reports them (USER_ERROR with the thrown name, message and stack; a V8 stack overflow as
 * SANDBOX_STACK_OVERFLOW), output frames are checked as the edge checks them, and console output is captured
 * while the node's own code runs.
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
  const args = copyIn(ctorArgs, nodeName, 'constructor');
  const instance = (await guarded('constructor', () => new nodeClass(...(args as never[])))) as unknown as Record<string, unknown>;
  const methods = publicMethods(instance);
  const invoke = (method: string): unknown => (instance[method] as () => unknown).call(instance);
  const outputs = (method: string, items: unknown[]): unknown[] =>
    items.map((item, i) => checkFrame(copyOut(item, nodeName, method), `output[${i}]`, { nodeName, method, maxFrameBytes }));
  return {
    nodeName,
    methods,
    process: async (input) => {
      const copy = copyIn(input, nodeName, 'process');
      return outputs(
        'process',
        await guarded('process', () => collectResult((instance.process as (input: unknown) => unknown).call(instance, copy) as never)),
      );
    },
    flush: async () => (methods.includes('flush') ? outputs('flush', await guarded('flush', () => collectResult(invoke('flush') as never))) : []),
    call: async (method) =>
      checkFrame(copyOut(await guarded(method, () => invoke(method)), nodeName, method), 'result', { nodeName, method, maxFrameBytes }),
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

function copyIn<T>(value: T, nodeName: string, method: string): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new RemoteError({
      code: ErrorCode.InvalidInput,
      name: 'TypeError',
      message: `an argument cannot be passed to the node: ${messageOf(error)}`,
      nodeName,
      method,
    });
  }
}

function copyOut(value: unknown, nodeName: string, method: string): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new RemoteError({
      code: ErrorCode.UserError,
      name: 'TypeError',
      message: `${method} returned a value that cannot leave the node: ${messageOf(error)}`,
      nodeName,
      method,
    });
  }
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
