/**
 * Which files the packager can ship and which names it tries for a specifier. Only ES modules in
 * JavaScript or TypeScript: the edge's sandbox has no JSX runtime, no JSON or CSS modules and no `require`.
 */
const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts'];
const COMMONJS_EXTENSIONS = ['.cjs', '.cts'];
/** Tried in order for an extensionless specifier, as TypeScript's `bundler` resolution does (sources first). */
const PROBE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
/** Tried for a directory: `dir` -> `dir/index.*`. */
const INDEX_FILES = PROBE_EXTENSIONS.map((extension) => `index${extension}`);

/** Lower-case extension of the last path segment (`.ts`), or '' when it has none. */
export function extensionOf(pathname: string): string {
  const name = pathname.slice(pathname.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

export function isTypeScriptPath(pathname: string): boolean {
  return TYPESCRIPT_EXTENSIONS.includes(extensionOf(pathname)) && !pathname.toLowerCase().endsWith('.d.ts');
}

export function isCommonJsPath(pathname: string): boolean {
  return COMMONJS_EXTENSIONS.includes(extensionOf(pathname));
}

/**
 * Files to try, in order, for a resolved location (query already removed):
 * - `a.js` -> `a.js`, then `a.ts` (TypeScript projects write the `.js` their output will have);
 *   `a.mjs` -> `a.mjs`, then `a.mts`; `a.ts` / `a.mts` -> exactly that;
 * - `dir/` -> `dir/index.{ts,mts,js,mjs}`;
 * - anything else (`a`, `a.service`) -> `a.{ts,mts,js,mjs}`, then `a/index.{ts,mts,js,mjs}`.
 * The bare extensionless name itself is never read: dev servers answer it with HTML or a directory listing.
 */
export function candidateUrls(url: URL): URL[] {
  const { pathname } = url;
  const sibling = (suffix: string): URL => {
    const candidate = new URL(url.href);
    candidate.pathname = suffix;
    return candidate;
  };
  if (pathname.endsWith('/')) return INDEX_FILES.map((file) => sibling(`${pathname}${file}`));
  const extension = extensionOf(pathname);
  const stem = pathname.slice(0, pathname.length - extension.length);
  switch (extension) {
    case '.js':
      return [url, sibling(`${stem}.ts`)];
    case '.mjs':
      return [url, sibling(`${stem}.mts`)];
    case '.ts':
    case '.mts':
      return [url];
    default:
      return [...PROBE_EXTENSIONS.map((probe) => sibling(`${pathname}${probe}`)), ...INDEX_FILES.map((file) => sibling(`${pathname}/${file}`))];
  }
}
