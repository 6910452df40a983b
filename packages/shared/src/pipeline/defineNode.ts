import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import { ACCEPTED_FORMATS_FIELD, parseAcceptedFormats } from './acceptedFormats.ts';
import type { NodeClass } from './NodeClass.ts';

const LIFECYCLE = ['initialize', 'flush', 'cleanup'] as const;

/**
 * Declares a node class: returns it unchanged, typed as written (its `process` types flow on to `runNode`,
 * `session.deploy` and `RemoteNode`), after checking what a type cannot check in plain JavaScript: that it is a
 * class with a `process` method, that its lifecycle members, if any, are methods, and that a static
 * `acceptedFormats`, if any, lists pixel formats. Works the same in the
 * edge's sandbox (import it from '@remotemedia/shared').
 */
export function defineNode<C extends NodeClass>(cls: C): C {
  const name = typeof cls === 'function' && cls.name !== '' ? cls.name : 'the value';
  const prototype: unknown = typeof cls === 'function' ? cls.prototype : undefined;
  if (typeof prototype !== 'object' || prototype === null) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `defineNode takes a class, got ${cls === null ? 'null' : typeof cls}`);
  }
  const member = (key: string): unknown => (prototype as Record<string, unknown>)[key];
  if (typeof member('process') !== 'function') {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${name} has no process(input) method; every node class needs one (docs/writing-nodes.md)`);
  }
  for (const key of LIFECYCLE) {
    const value = member(key);
    if (value !== undefined && typeof value !== 'function') {
      throw new RemoteMediaError(ErrorCode.InvalidInput, `${name}.${key} is a ${typeof value}, not a method; the lifecycle calls it`);
    }
  }
  // A static `acceptedFormats` (the pixel formats `process` takes) is checked here, where a typo is cheapest.
  parseAcceptedFormats((cls as unknown as Record<string, unknown>)[ACCEPTED_FORMATS_FIELD], name);
  return cls;
}
