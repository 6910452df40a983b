import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';

type Class = abstract new (...args: never[]) => unknown;

/** A class by the module that exports it: works everywhere, no lookup needed. */
export interface ModuleTarget {
  module: string | URL;
  /** Export name of the class (`default` for a default export). */
  exportName: string;
}

/** What `session.remote` accepts: a class, an already-built instance, or a module + export name. */
export type RemoteTarget = Class | object | ModuleTarget;

export function isModuleTarget(value: unknown): value is ModuleTarget {
  return typeof value === 'object' && value !== null && 'module' in value && 'exportName' in value;
}

export function isClass(value: unknown): value is Class {
  return typeof value === 'function' && value.prototype !== undefined;
}

/** Own enumerable fields of an instance: what "pickling" it means here. Functions cannot cross. */
export function ownState(instance: object): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(instance)) {
    if (typeof value === 'function') {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `field "${key}" of ${instance.constructor?.name ?? 'the instance'} is a function; only data can be shipped to the edge`,
      );
    }
    state[key] = value;
  }
  return state;
}
