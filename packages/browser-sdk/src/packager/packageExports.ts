/**
 * Resolution of a package.json `exports` field (Node's algorithm, reduced to what the edge needs):
 * subpaths, `*` patterns, condition objects, arrays of fallbacks and `null` to block a subpath.
 */

/**
 * Conditions honoured, matched in the order the package lists them. ES module entry points only:
 * `require` would give CommonJS, `browser` may expect a DOM the sandbox does not have, `types` is not code.
 * `module` is the bundlers' ESM condition, used by packages that publish ESM only under it.
 */
export const EXPORT_CONDITIONS: readonly string[] = ['import', 'module', 'default'];

/** Result: a `./`-relative target, `null` when the package blocks the subpath, `undefined` when it does not export it. */
export type ExportsResolution = string | null | undefined;

function isConditionMap(value: object): boolean {
  return Object.keys(value).every((key) => !key.startsWith('.'));
}

function resolveTarget(target: unknown, patternMatch: string | undefined, conditions: readonly string[]): ExportsResolution {
  if (target === null) return null;
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return patternMatch === undefined ? target : target.replaceAll('*', patternMatch);
  }
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const resolved = resolveTarget(candidate, patternMatch, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (!conditions.includes(condition)) continue;
      const resolved = resolveTarget(value, patternMatch, conditions);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/**
 * Resolves `subpath` (`.` or `./feature`) against an `exports` field.
 */
export function resolvePackageExports(exportsField: unknown, subpath: string, conditions: readonly string[] = EXPORT_CONDITIONS): ExportsResolution {
  const map: Record<string, unknown> =
    typeof exportsField === 'string' ||
    Array.isArray(exportsField) ||
    (exportsField !== null && typeof exportsField === 'object' && isConditionMap(exportsField))
      ? { '.': exportsField }
      : exportsField !== null && typeof exportsField === 'object'
        ? (exportsField as Record<string, unknown>)
        : {};
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return resolveTarget(map[subpath], undefined, conditions);
  // Patterns: the key with the longest prefix before `*` wins, as in Node's PATTERN_KEY_COMPARE.
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0 || key.indexOf('*', star + 1) >= 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (!subpath.startsWith(prefix) || subpath.length < key.length || !subpath.endsWith(suffix)) continue;
    if (best === undefined || prefix.length > best.key.indexOf('*') || (prefix.length === best.key.indexOf('*') && key.length > best.key.length)) {
      best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best === undefined ? undefined : resolveTarget(map[best.key], best.match, conditions);
}
