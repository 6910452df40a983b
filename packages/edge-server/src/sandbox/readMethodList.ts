import { ErrorCode } from '@remotemedia/shared/errors';
import { InvalidResult } from './InvalidResult.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import { MAX_METHOD_NAME_CHARS, MAX_METHODS } from './SandboxLimits.ts';

/** Longest method list a guest can honestly produce (one past the cap, so an excess is visible), as JSON. */
export const METHODS_MAX_CHARS = (MAX_METHODS + 1) * (6 * MAX_METHOD_NAME_CHARS + 3) + 2;

/**
 * The class's public method names from the JSON the prelude's setup() returned (undefined when it was not a
 * string of at most METHODS_MAX_CHARS). The host sends them to clients: bounded in number and length.
 */
export function readMethodList(text: string | undefined, nodeName: string): string[] {
  let methods: unknown;
  try {
    methods = text === undefined ? undefined : JSON.parse(text);
  } catch {
    methods = undefined;
  }
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
    throw InvalidResult.forged('the sandbox reported malformed method names');
  }
  const refuse = (message: string): never => {
    throw new SandboxFailure({ code: ErrorCode.InvalidManifest, message, nodeName, method: '<load>' }, true);
  };
  if (methods.length > MAX_METHODS) refuse(`the class has more than ${MAX_METHODS} methods; a sandboxed class may have at most ${MAX_METHODS}`);
  const long = (methods as string[]).find((m) => m.length > MAX_METHOD_NAME_CHARS);
  if (long !== undefined) refuse(`the class has a method name of ${long.length} characters; at most ${MAX_METHOD_NAME_CHARS} are allowed`);
  return methods as string[];
}
