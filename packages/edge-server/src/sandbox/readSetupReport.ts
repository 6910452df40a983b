import { ErrorCode } from '@remotemedia/shared/errors';
import type { PixelFormat } from '@remotemedia/shared/frames';
import { parseAcceptedFormats } from '@remotemedia/shared/pipeline';
import { InvalidResult } from './InvalidResult.ts';
import { SandboxFailure } from './SandboxFailure.ts';
import { MAX_METHOD_NAME_CHARS, MAX_METHODS } from './SandboxLimits.ts';

/** Longest report a guest can honestly produce: the method list (one past the cap) and 8 short format names. */
export const SETUP_REPORT_MAX_CHARS = (MAX_METHODS + 1) * (6 * MAX_METHOD_NAME_CHARS + 3) + 2 + 8 * (6 * 16 + 3) + 32;

/** What the prelude's setup() reports about the class it instantiated. */
export interface SetupReport {
  /** Public method names; the host sends them to clients, so they are bounded in number and length. */
  methods: string[];
  /** The class's static `acceptedFormats`, checked; undefined when it declares none. */
  formats: readonly PixelFormat[] | undefined;
}

/**
 * Reads the JSON setup() returned (undefined when it was not a string of at most SETUP_REPORT_MAX_CHARS). A
 * malformed report is a forged result; a class over the method caps, or with an invalid `acceptedFormats`, is
 * refused with INVALID_MANIFEST naming what to fix.
 */
export function readSetupReport(text: string | undefined, nodeName: string): SetupReport {
  let report: { methods?: unknown; formats?: unknown } | undefined;
  try {
    report = text === undefined ? undefined : (JSON.parse(text) as typeof report);
  } catch {
    report = undefined;
  }
  const methods = report?.methods;
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) {
    throw InvalidResult.forged('the sandbox reported malformed method names');
  }
  const refuse = (message: string): never => {
    throw new SandboxFailure({ code: ErrorCode.InvalidManifest, message, nodeName, method: '<load>' }, true);
  };
  if (methods.length > MAX_METHODS) refuse(`the class has more than ${MAX_METHODS} methods; a sandboxed class may have at most ${MAX_METHODS}`);
  const long = (methods as string[]).find((m) => m.length > MAX_METHOD_NAME_CHARS);
  if (long !== undefined) refuse(`the class has a method name of ${long.length} characters; at most ${MAX_METHOD_NAME_CHARS} are allowed`);
  return { methods: methods as string[], formats: readFormats(report?.formats, nodeName, refuse) };
}

/** The guest sends the declaration itself, the type name of a non-list, or the length of a list too long. */
function readFormats(value: unknown, nodeName: string, refuse: (message: string) => never): readonly PixelFormat[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') refuse(`${nodeName}.acceptedFormats has ${value} entries; list at most the 3 pixel formats (rgba, i420, gray)`);
  if (typeof value === 'string') refuse(`${nodeName}.acceptedFormats is a ${value.slice(0, 16)}, not a list of pixel formats (rgba, i420, gray)`);
  try {
    return parseAcceptedFormats(value, nodeName);
  } catch (error) {
    return refuse((error as Error).message);
  }
}
