import { ErrorCode, type ErrorPayload } from '@remotemedia/shared/errors';
import type { DescribedError } from './guest/guestApi.ts';
import type { InvalidResult } from './InvalidResult.ts';
import type { SandboxLimits } from './SandboxLimits.ts';

/** A guest exception as the prelude described it. */
export type { DescribedError };

/** Which step of an operation was running when the guest threw. */
export type GuestPhase =
  /** Evaluating the package's modules. */
  | 'load'
  /** The constructor, or restoring an instance from state. */
  | 'construct'
  /** The user's method and the promise jobs it scheduled. */
  | 'run'
  /** The prelude encoding the method's result (user getters and proxies run here too). */
  | 'encode';

/** What the runtime saw go wrong, before it is turned into an error code. */
export type FailureEvidence =
  | { kind: 'thrown'; phase: GuestPhase; error: DescribedError; missingModule?: string; hostCode?: ErrorCode }
  /** The deadline interrupted guest code; `stack` is where it was, when it could be read. */
  | { kind: 'interrupted'; budgetMs: number; name: string; stack: string }
  /** The guest threw, and reading the thrown value (its name, message or stack getters) ran out of time. */
  | { kind: 'describe-interrupted'; budgetMs: number }
  /** The call returned a promise still pending after every promise job had run. */
  | { kind: 'never-settled' }
  | { kind: 'invalid-result'; result: InvalidResult }
  /** A host exception escaped from the engine itself (the WASM module or the host code driving it). */
  | { kind: 'escaped'; error: unknown };

export interface FailureContext {
  nodeName: string;
  /** The operation as the caller knows it: a method name, 'constructor', '<load>', 'snapshot'. */
  method: string;
  limits: SandboxLimits;
}

export interface ClassifiedFailure {
  payload: ErrorPayload;
  /** The instance can no longer be trusted and is retired. */
  fatal: boolean;
  /** The engine itself failed: the instance's handles must not be touched again, not even to free them. */
  engineBroken: boolean;
}

/** Names the prelude gives its own limit errors while encoding a result. */
const RESULT_TOO_LARGE = 'ResultTooLarge';
const RESULT_SHAPE = 'ResultShapeError';

/** V8's message for an exhausted native stack (the only RangeError that means a stack overflow on the host). */
const HOST_STACK_OVERFLOW = 'Maximum call stack size exceeded';

/**
 * Turns what went wrong in a sandbox operation into a wire error with a stable code, and decides whether the
 * instance survives. Each limit is reported as itself: time (including a promise that can never settle),
 * memory, stack (QuickJS's interpreter, its parser and JSON.parse alike), result size and shape. Only a plain
 * exception from user code is USER_ERROR. Pure: the runtime gathers the evidence, this names it.
 */
export function classifyFailure(evidence: FailureEvidence, context: FailureContext): ClassifiedFailure {
  const { nodeName, method, limits } = context;
  const fail = (code: ErrorCode, message: string, fatal: boolean, extra: Partial<ErrorPayload> = {}): ClassifiedFailure => ({
    payload: { code, message, nodeName, method, ...extra },
    fatal,
    engineBroken: false,
  });

  switch (evidence.kind) {
    case 'interrupted':
      return fail(ErrorCode.SandboxTimeout, `${method} did not finish within ${evidence.budgetMs} ms`, true, {
        name: evidence.name,
        stack: evidence.stack,
      });
    case 'describe-interrupted':
      return fail(
        ErrorCode.SandboxTimeout,
        `${method} threw an error whose name, message or stack could not be read within ${evidence.budgetMs} ms`,
        true,
        { name: 'InternalError' },
      );
    case 'never-settled':
      return fail(
        ErrorCode.SandboxTimeout,
        `${method} returned a promise that never settles: once its promise jobs had run, nothing in the sandbox (which has no timers or I/O) was left to settle it; a promise chain it waited on may have failed unhandled, e.g. out of memory`,
        true,
        { name: 'Error' },
      );
    case 'invalid-result': {
      const { result } = evidence;
      return fail(result.code, `${method} returned a result the edge refuses: ${result.message}`, result.forged, { name: 'TypeError' });
    }
    case 'escaped':
      return classifyEscaped(evidence.error, context);
    case 'thrown':
      break;
  }

  const { error, phase } = evidence;
  const described = { name: error.name, stack: error.stack };
  if (error.name === 'InternalError' && error.message === 'out of memory') {
    return fail(ErrorCode.SandboxOutOfMemory, `${method} ran out of memory (sandbox limit ${limits.memoryBytes} bytes)`, true, described);
  }
  // QuickJS reports an exhausted stack as InternalError from the interpreter, and as SyntaxError from its parser
  // (eval, Function, modules) and JSON.parse: the same limit either way.
  if (error.message === 'stack overflow' && (error.name === 'InternalError' || error.name === 'SyntaxError')) {
    const where = error.name === 'SyntaxError' ? ' while parsing deeply nested code or JSON' : '';
    return fail(ErrorCode.SandboxStackOverflow, `${method} overflowed the stack (sandbox limit ${limits.stackBytes} bytes)${where}`, true, described);
  }
  if (phase === 'encode' && error.name === RESULT_TOO_LARGE) {
    return fail(ErrorCode.MessageTooLarge, `${method} returned a result the edge refuses: ${error.message}`, false, { name: 'RangeError' });
  }
  if (phase === 'encode' && error.name === RESULT_SHAPE) {
    return fail(ErrorCode.InvalidOutput, `${method} returned a result the edge refuses: ${error.message}`, false, { name: 'RangeError' });
  }
  // A host function's typed error (a WebAssembly failure) keeps its code; like any user error it only retires an
  // instance that was still loading.
  if (evidence.hostCode !== undefined) return fail(evidence.hostCode, error.message, phase === 'load', described);
  if (phase === 'load') {
    // Nothing was built: every module failure retires the instance.
    if (evidence.missingModule !== undefined) return fail(ErrorCode.ModuleNotFound, evidence.missingModule, true, described);
    if (error.name === 'SyntaxError') return fail(ErrorCode.CompileError, error.message, true, described);
    return fail(ErrorCode.UserError, error.message, true, described);
  }
  return fail(ErrorCode.UserError, error.message, false, described);
}

function classifyEscaped(error: unknown, context: FailureContext): ClassifiedFailure {
  const { nodeName, method } = context;
  const name = error instanceof Error ? error.name : 'Error';
  if (error instanceof RangeError && error.message === HOST_STACK_OVERFLOW) {
    return {
      payload: { code: ErrorCode.SandboxStackOverflow, name, message: `${method} overflowed the worker's native stack`, nodeName, method },
      fatal: true,
      engineBroken: true,
    };
  }
  // Any other host error (an allocation that failed, an abort inside the WASM module) is the engine failing,
  // not a limit the guest hit.
  const detail = error instanceof Error ? `${name}: ${withoutPaths(error.message)}` : name;
  return {
    payload: { code: ErrorCode.SandboxCrashed, name, message: `the sandbox engine failed during ${method} (${detail})`, nodeName, method },
    fatal: true,
    engineBroken: true,
  };
}

/** Host error text without file paths or URLs (they say nothing to a client and describe the host). */
function withoutPaths(message: string): string {
  return message.replace(/(?:file:\/\/)?(?:\/[^\s/():]+)+/g, '<path>').slice(0, 200);
}
