// Browser-safe packager API: no node:* imports anywhere below this folder.
export { packModule, type PackOptions } from './packModule.ts';
export { packSources, type PackSourcesOptions } from './packSources.ts';
export type { SourceReader } from './SourceReader.ts';
export { FetchSourceReader, type FetchSourceReaderOptions } from './FetchSourceReader.ts';
export { MemorySourceReader, MEMORY_SOURCE_ROOT } from './MemorySourceReader.ts';
export type { ImportMap } from './importMap.ts';
export {
  encodePackage,
  decodePackage,
  verifyPackage,
  packageId,
  canonicalManifestJson,
  isValidModulePath,
  DEFAULT_MAX_PACKAGE_BYTES,
  DEFAULT_MAX_ENCODED_PACKAGE_BYTES,
  type DecodePackageOptions,
  type VerifyPackageOptions,
} from '@remotemedia/shared';
// How the packager resolves specifiers, for tools that must resolve modules exactly as it does.
export { isBareSpecifier, parseBareSpecifier, type BareSpecifier } from './bareSpecifier.ts';
export { EXPORT_CONDITIONS, resolvePackageExports, type ExportsResolution } from './packageExports.ts';
export { resolveImportMap, type ImportMapMatch } from './importMap.ts';
