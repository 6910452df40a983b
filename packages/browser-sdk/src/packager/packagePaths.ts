import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';

/** Normalizes a path given by a caller (`./lib\\a.ts` -> `lib/a.ts`); rejects paths that leave the root. */
export function normalizeSourcePath(path: string): string {
  const segments = path
    .replaceAll('\\', '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.includes('..')) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `Invalid source path '${path}': it must name a file inside the package`);
  }
  return segments.join('/');
}

/** URL of a `/`-separated relative path under `root`, each segment escaped (`#` and `?` are legal in file names). */
export function urlOfPath(path: string, root: URL): URL {
  return new URL(path.split('/').map(encodeURIComponent).join('/'), root);
}

/** `url` without query and fragment: `a.js?v=2` and `a.js` are the same module. */
export function canonicalModuleUrl(url: URL): URL {
  const canonical = new URL(url.href);
  canonical.search = '';
  canonical.hash = '';
  return canonical;
}

/** The directory containing `url` (its URL up to and including the last `/`). */
export function directoryOf(url: URL): URL {
  return new URL('./', canonicalModuleUrl(url));
}

function sameLocation(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

/** Decoded path of `url` relative to the directory `root`, or `undefined` when `url` is not under `root`. */
export function relativePathUnder(root: URL, url: URL): string | undefined {
  if (!sameLocation(root, url) || !url.pathname.startsWith(root.pathname)) return undefined;
  return decodeURIComponent(url.pathname.slice(root.pathname.length));
}

/** Deepest directory containing all `urls` (all on one origin), for choosing the package root. */
export function commonDirectory(urls: readonly URL[]): URL | undefined {
  const first = urls[0];
  if (first === undefined) return undefined;
  let common = directoryOf(first).pathname.split('/').slice(0, -1);
  for (const url of urls) {
    if (!sameLocation(first, url)) return undefined;
    const segments = directoryOf(url).pathname.split('/').slice(0, -1);
    let shared = 0;
    while (shared < common.length && shared < segments.length && common[shared] === segments[shared]) shared += 1;
    common = common.slice(0, shared);
  }
  const root = new URL(first.href);
  root.pathname = `${common.join('/')}/`;
  root.search = '';
  root.hash = '';
  return root;
}

/** Human-readable location for messages: relative to `base` when on the same origin, else the full URL. */
export function displayPath(url: URL, base: URL): string {
  if (!sameLocation(base, url)) return url.href;
  const from = base.pathname.split('/').slice(0, -1);
  const to = url.pathname.split('/');
  let shared = 0;
  while (shared < from.length && shared < to.length - 1 && from[shared] === to[shared]) shared += 1;
  const ups = from.slice(shared).map(() => '..');
  return decodeURIComponent([...ups, ...to.slice(shared)].join('/'));
}
