import type { JSModuleLoader, JSModuleNormalizer } from 'quickjs-emscripten-core';
import type { NodePackage, PackageModuleInfo } from '@remotemedia/shared/protocol';

/** Why a module could not be loaded: the specifier as written and the module that wrote it. */
export interface MissingModule {
  specifier: string;
  importer: string;
}

/**
 * Serves a package's modules to one QuickJS runtime, and nothing else. Specifiers resolve only through the
 * importing module's `imports` map (the packager already resolved relative paths into it); there is no file
 * system, no node_modules and no network behind this.
 *
 * QuickJS swallows an error returned by the normalizer (the loader is then called with an empty name), so an
 * unresolvable specifier is normalized to a marker name that cannot be a package path, and the loader rejects it.
 */
export class ModuleLoader {
  private readonly modules = new Map<string, PackageModuleInfo>();
  private readonly missing = new Map<string, MissingModule>();
  private readonly markerPrefix: string;
  /** The last specifier that failed to load, for turning the guest's error into ModuleNotFound. */
  lastMissing: MissingModule | undefined;

  constructor(
    private readonly pkg: NodePackage,
    /** Modules the edge provides, by import target (`edge:shared`); a package cannot define these names. */
    private readonly edgeModules: Readonly<Record<string, string>> = {},
  ) {
    for (const info of pkg.manifest.modules) this.modules.set(info.path, info);
    // A package path never starts with "#" followed by NUL-free random text; the nonce keeps user code from
    // guessing a marker and importing it on purpose.
    this.markerPrefix = `#missing-${Math.random().toString(36).slice(2)}:`;
  }

  get entry(): string {
    return this.pkg.manifest.entry;
  }

  /** Source of a module by package path or edge target, or undefined when neither has it. */
  source(path: string): string | undefined {
    if (Object.hasOwn(this.edgeModules, path)) return this.edgeModules[path];
    return this.modules.has(path) && Object.hasOwn(this.pkg.sources, path) ? this.pkg.sources[path] : undefined;
  }

  readonly normalize: JSModuleNormalizer = (importer: string, specifier: string): string => {
    const imports = this.modules.get(importer)?.imports;
    const target = imports !== undefined && Object.hasOwn(imports, specifier) ? imports[specifier] : undefined;
    if (target !== undefined && (this.modules.has(target) || Object.hasOwn(this.edgeModules, target))) return target;
    const marker = `${this.markerPrefix}${this.missing.size}`;
    this.missing.set(marker, { specifier, importer });
    return marker;
  };

  readonly load: JSModuleLoader = (name: string) => {
    const missing = this.missing.get(name) ?? { specifier: name, importer: '(unknown)' };
    const source = this.missing.has(name) ? undefined : this.source(name);
    if (source !== undefined) return source;
    this.lastMissing = missing;
    return { error: new Error(describeMissing(missing)) };
  };
}

export function describeMissing(missing: MissingModule): string {
  return `Cannot find module '${missing.specifier}' imported from ${missing.importer}: only modules in the package's import map can be loaded`;
}
