import { ErrorCode, RemoteMediaError, type NodePackage, type SerializedState } from '@remotemedia/shared';
import superjson from 'superjson';
import type { DeployOptions } from '../session/DeployOptions.ts';
import type { ModuleSupport } from './ModuleSupport.ts';
import { isClass, isModuleTarget, ownState, type RemoteTarget } from './RemoteTarget.ts';

/** What `session.remote(...)` deploys: the packed module, and how the instance starts on the edge. */
export interface PackedTarget {
  pkg: NodePackage;
  options: DeployOptions;
}

/**
 * Finds the module that defines the target's class and packs it with every local module it imports. An
 * instance ships its own fields (superjson) instead of constructor arguments.
 */
export async function packRemoteTarget(target: RemoteTarget, ctorArgs: unknown[], modules: ModuleSupport | undefined): Promise<PackedTarget> {
  let moduleUrl: string;
  let exportName: string;
  let state: SerializedState | undefined;
  if (isModuleTarget(target)) {
    moduleUrl = String(target.module);
    exportName = target.exportName;
  } else {
    const cls = isClass(target) ? target : (target.constructor as RemoteTarget);
    if (!isClass(cls) || cls === Object) {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'remote() takes a class, an instance of a class, or { module, exportName }');
    }
    if (!isClass(target)) {
      if (ctorArgs.length > 0)
        throw new RemoteMediaError(ErrorCode.InvalidInput, 'an instance is shipped with its state; constructor arguments do not apply');
      state = superjson.serialize(ownState(target)) as SerializedState;
    }
    const located = await modules?.locate(cls);
    if (located === undefined) {
      throw new RemoteMediaError(
        ErrorCode.ModuleNotFound,
        `cannot tell which module defines class ${cls.name}: add \`static moduleUrl = import.meta.url\` to it, or pass { module, exportName }`,
      );
    }
    moduleUrl = located;
    exportName = cls.name;
  }
  if (modules === undefined) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      'this session cannot pack modules; connect with a ModuleSupport (the default in browsers and in the Node entry)',
    );
  }
  const pkg = await modules.pack(moduleUrl, exportName);
  return { pkg, options: state ? { state } : { ctorArgs } };
}
