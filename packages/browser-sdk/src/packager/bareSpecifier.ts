/** A bare specifier split into its package name and the subpath inside the package. */
export interface BareSpecifier {
  /** `left-pad`, `@scope/name`. */
  readonly packageName: string;
  /** `.` for the package itself, else `./sub/path` (the form `exports` keys use). */
  readonly subpath: string;
}

const NAME_SEGMENT = /^[^./\\%:\s][^/\\%:\s]*$/;

/** True for specifiers that name a package rather than a file or URL. */
export function isBareSpecifier(specifier: string): boolean {
  return !(
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier.startsWith('/') ||
    specifier === '.' ||
    specifier === '..' ||
    /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)
  );
}

/** Splits `@scope/name/sub/path`; `undefined` when the name is not a valid package name. */
export function parseBareSpecifier(specifier: string): BareSpecifier | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameLength) return undefined;
  const nameParts = parts.slice(0, nameLength);
  const scopeOk = nameLength === 1 || /^@[^/\\%:\s]+$/.test(nameParts[0] ?? '');
  const last = nameParts[nameLength - 1] ?? '';
  if (!scopeOk || !NAME_SEGMENT.test(last)) return undefined;
  const rest = parts.slice(nameLength);
  if (rest.some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  return { packageName: nameParts.join('/'), subpath: rest.length === 0 ? '.' : `./${rest.join('/')}` };
}
