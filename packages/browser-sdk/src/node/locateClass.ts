import { ClassLocator } from './ClassLocator.ts';

/** The process's one locator: its inspector session and script index are built once and shared. */
export const processClassLocator = new ClassLocator();

/**
 * The module URL that defines `cls` (a file: URL), or undefined when V8 cannot tell (a class built by `eval`,
 * or one from a script without a file). See ClassLocator.
 */
export function locateClass(cls: unknown): Promise<string | undefined> {
  return processClassLocator.locate(cls);
}
