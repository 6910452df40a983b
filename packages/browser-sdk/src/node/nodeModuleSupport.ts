import { fileURLToPath } from 'node:url';
import type { ModuleSupport } from '../remote/ModuleSupport.ts';
import { declaredModuleUrl } from '../remote/browserModuleSupport.ts';
import { FsSourceReader } from './packager/FsSourceReader.ts';
import { packFile } from './packager/packFile.ts';
import { locateClass } from './locateClass.ts';
import { PackCache } from './PackCache.ts';

/** Shared by every session of the process: a class packed for one is packed for all, until its files change. */
const processPackCache = new PackCache(new FsSourceReader());

/** Node: a declared `moduleUrl` wins, else V8 tells where the class lives; sources come from the file system. */
export function nodeModuleSupport(): ModuleSupport {
  return {
    locate: async (cls) => declaredModuleUrl(cls) ?? (await locateClass(cls)),
    pack: (moduleUrl, exportName) =>
      processPackCache.pack(moduleUrl, exportName, (reader) =>
        packFile(moduleUrl.startsWith('file:') ? fileURLToPath(moduleUrl) : moduleUrl, exportName, { reader }),
      ),
  };
}
