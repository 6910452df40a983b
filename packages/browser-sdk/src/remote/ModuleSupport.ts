import type { NodePackage } from '@remotemedia/shared';

/**
 * What `session.remote(...)` needs from the runtime: where a class's module lives, and how to pack it.
 * Browsers read `moduleUrl` off the class (set it to `import.meta.url`); Node can also ask V8 where the
 * class was defined (see node/locateClass.ts).
 */
export interface ModuleSupport {
  locate(cls: abstract new (...args: never[]) => unknown): Promise<string | undefined>;
  pack(moduleUrl: string, exportName: string): Promise<NodePackage>;
}
