/**
 * A user node shipped to the edge: its modules (already JavaScript) and a manifest.
 * The id is the SHA-256 of the canonical manifest, so the same code has the same id on every OS
 * and the edge can cache packages by id.
 */
export interface PackageModuleInfo {
  /** Path relative to the package root, `/`-separated, no leading `./` (e.g. `lib/math.js`). */
  readonly path: string;
  /** Size of the source in UTF-8 bytes. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the UTF-8 source. */
  readonly sha256: string;
  /**
   * How each import specifier written in this module resolves: to another module's `path`,
   * or to `edge:<name>` for a module the edge provides itself.
   */
  readonly imports: Readonly<Record<string, string>>;
}

export interface PackageManifest {
  readonly formatVersion: 1;
  /** Path of the module that exports the node class. */
  readonly entry: string;
  /** Export name of the class in the entry module (`default` for a default export). */
  readonly exportName: string;
  readonly modules: readonly PackageModuleInfo[];
  /** Sum of all module sizes in bytes. */
  readonly totalSize: number;
  readonly sdkVersion: string;
  /**
   * WebAssembly modules the package's code loads with `loadWasm` (absent when there are none, so packages
   * without any keep their ids). An import specifier of a module may map to one of these paths.
   */
  readonly wasm?: readonly PackageWasmInfo[];
}

/** One `.wasm` file of a package. */
export interface PackageWasmInfo {
  /** Path relative to the package root, ending in `.wasm`. */
  readonly path: string;
  /** Size of the binary in bytes. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the binary. */
  readonly sha256: string;
}

export interface NodePackage {
  /** Lower-case hex SHA-256 of the canonical manifest JSON. */
  readonly id: string;
  readonly manifest: PackageManifest;
  /** Source of each module by path. */
  readonly sources: Readonly<Record<string, string>>;
  /**
   * Each WebAssembly binary by path, base64: packages also travel as JSON (the edge's package store), where
   * raw bytes would not survive. Present exactly when the manifest lists `wasm`.
   */
  readonly wasm?: Readonly<Record<string, string>>;
}

/** Prefix of import targets the edge provides rather than the package. */
export const EDGE_MODULE_PREFIX = 'edge:';
