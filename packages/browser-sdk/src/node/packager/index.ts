// Node-only packager API (file system access); the browser-safe API is re-exported for convenience.
export { FsSourceReader } from './FsSourceReader.ts';
export { packFile, type PackFileOptions } from './packFile.ts';
export {
  packModule,
  packSources,
  encodePackage,
  decodePackage,
  verifyPackage,
  packageId,
  FetchSourceReader,
  MemorySourceReader,
  DEFAULT_MAX_PACKAGE_BYTES,
  type PackOptions,
  type PackSourcesOptions,
  type SourceReader,
  type ImportMap,
} from '../../packager/index.ts';
