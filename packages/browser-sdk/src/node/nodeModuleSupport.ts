import { fileURLToPath } from 'node:url';
import type { ModuleSupport } from '../remote/ModuleSupport.ts';
import { declaredModuleUrl } from '../remote/browserModuleSupport.ts';
import { packFile } from './packager/packFile.ts';
import { locateClass } from './locateClass.ts';

/** Node: a declared `moduleUrl` wins, else V8 tells where the class lives; sources come from the file system. */
export function nodeModuleSupport(): ModuleSupport {
  return {
    locate: async (cls) => declaredModuleUrl(cls) ?? (await locateClass(cls)),
    pack: (moduleUrl, exportName) => packFile(moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl, exportName),
  };
}
