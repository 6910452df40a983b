/** The `imports` part of a browser import map (scopes are not used by packaged nodes). */
export interface ImportMap {
  readonly imports: Readonly<Record<string, string>>;
}

export interface ImportMapMatch {
  readonly url: URL;
  /**
   * Where the mapped package's files live: the target of a `prefix/` key, or the directory of an
   * exact key's target. Modules under it are stored as that package's files.
   */
  readonly packageDirectory: URL;
}

/**
 * Resolves a bare specifier the way the browser's import map would: an exact key first, else the
 * longest key ending in `/` that prefixes the specifier. Targets resolve against `baseUrl`.
 */
export function resolveImportMap(importMap: ImportMap, specifier: string, baseUrl: URL): ImportMapMatch | undefined {
  const imports = importMap.imports;
  if (Object.hasOwn(imports, specifier)) {
    const target = imports[specifier];
    if (typeof target !== 'string') return undefined;
    const url = new URL(target, baseUrl);
    return { url, packageDirectory: new URL('./', url) };
  }
  let bestKey: string | undefined;
  for (const key of Object.keys(imports)) {
    if (key.endsWith('/') && specifier.startsWith(key) && (bestKey === undefined || key.length > bestKey.length)) bestKey = key;
  }
  if (bestKey === undefined) return undefined;
  const target = imports[bestKey];
  if (typeof target !== 'string' || !target.endsWith('/')) return undefined;
  const packageDirectory = new URL(target, baseUrl);
  const url = new URL(specifier.slice(bestKey.length), packageDirectory);
  // As in browsers: a prefix mapping cannot be used to climb above its own target.
  if (!url.href.startsWith(packageDirectory.href)) return undefined;
  return { url, packageDirectory };
}
