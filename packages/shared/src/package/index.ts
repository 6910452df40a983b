// @remotemedia/shared/package: package integrity, hashing and encoding. Used by the packager when it builds a
// package and by the edge, which trusts nothing in a package until verifyPackage has recomputed it.
export { encodePackage, decodePackage, DEFAULT_MAX_ENCODED_PACKAGE_BYTES, type DecodePackageOptions } from './encodePackage.ts';
export { verifyPackage, type VerifyPackageOptions } from './verifyPackage.ts';
export { packageId, canonicalManifestJson } from './packageHash.ts';
export { DEFAULT_MAX_PACKAGE_BYTES, DEFAULT_MAX_WASM_BYTES, assertPackageSize, type SizedModule } from './PackageLimits.ts';
export { decodeBase64, encodeBase64 } from './base64.ts';
export { isValidModulePath, isValidWasmPath, MAX_MODULE_PATH_LENGTH } from './modulePath.ts';
export { sha256Hex, utf8Size } from './sha256.ts';
export { validatePackageShape } from './validatePackageShape.ts';
