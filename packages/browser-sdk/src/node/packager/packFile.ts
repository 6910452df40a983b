import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { packModule, type PackOptions } from '../../packager/packModule.ts';
import { FsSourceReader } from './FsSourceReader.ts';

export interface PackFileOptions extends Omit<PackOptions, 'reader' | 'root' | 'baseUrl'> {
  /** Defaults to an FsSourceReader. */
  reader?: PackOptions['reader'];
  /** Folder module paths are relative to (a path or file: URL); default: the deepest folder holding all local modules. */
  root?: string | URL;
}

function directoryUrl(path: string | URL): URL {
  if (path instanceof URL) return path;
  const absolute = resolve(path);
  return pathToFileURL(absolute.endsWith(sep) ? absolute : `${absolute}${sep}`);
}

/** Node: packs the module at a file path (relative to the working directory) and what it imports. */
export async function packFile(path: string | URL, exportName: string, options: PackFileOptions = {}): Promise<NodePackage> {
  const { reader, root, ...rest } = options;
  const entry = path instanceof URL ? path : pathToFileURL(resolve(path));
  return packModule(entry, exportName, {
    ...rest,
    reader: reader ?? new FsSourceReader(),
    ...(root === undefined ? {} : { root: directoryUrl(root) }),
  });
}
