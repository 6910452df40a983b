import { ErrorCode, RemoteMediaError, measureItem } from '@remotemedia/shared';
import type { StateLimits } from './StateLimits.ts';

/** Type annotations superjson writes without registration; registered classes, symbols and custom types have none on the edge. */
const SIMPLE_TYPES = new Set(['undefined', 'bigint', 'Date', 'Error', 'regexp', 'set', 'map', 'number', 'URL']);
const TYPED_ARRAYS = new Set([
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
]);
/** Characters of the longest 64-bit integer in decimal, with its sign. */
const MAX_INT64_CHARS = 20;
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** A position in `json` that annotations name, reached once however many paths lead to it. */
interface Location {
  readonly value: unknown;
  children?: Map<string, Location>;
  /** An annotation key ends here (a value's own type, or the start of its children's paths). */
  targeted: boolean;
  /** Its value is rebuilt (Map, Set, Date...): no other path may walk through it. */
  typed: boolean;
  /** A path walked through it: it must never be rebuilt. */
  passed: boolean;
}

/**
 * Checks serialized state against `limits` in time linear in its size, before superjson sees it, and accepts
 * only the shapes superjson's own serializer writes: annotations of a value's descendants sit in that value's
 * own tree, so no annotation path walks through a Map or Set that an earlier annotation already rebuilt (the
 * quadratic case), and every path names a position that exists in `json`.
 *
 * Throws STATE_TOO_LARGE naming the bound for state over a limit, INVALID_INPUT for anything superjson could
 * not have written. `label` starts each message (e.g. `deploy.state`).
 */
export function checkSerializedState(state: unknown, limits: StateLimits, label: string): void {
  // Typed explicitly so that calls narrow like `throw` does.
  const tooLarge: (what: string) => never = (what) => {
    throw new RemoteMediaError(ErrorCode.StateTooLarge, `${label} ${what}; keep less in the instance's fields`);
  };
  const invalid: (what: string) => never = (what) => {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${label} is not state superjson writes: ${what}`);
  };

  if (!isPlainObject(state) || !('json' in state)) invalid('expected an object with `json` (and optional `meta`)');
  const { json, meta } = state as { json: unknown; meta?: unknown };
  // json and meta together; the walk stops as soon as either bound is passed.
  const size = measureItem({ json, meta }, limits.maxBytes, limits.maxDepth + 1);
  if (size.depth > limits.maxDepth + 1) tooLarge(`nests deeper than ${limits.maxDepth} levels`);
  if (size.bytes > limits.maxBytes) tooLarge(`is about ${size.bytes} bytes, over this edge's maxStateBytes (${limits.maxBytes})`);
  if (meta === undefined) return;
  if (!isPlainObject(meta)) invalid('`meta` must be an object');
  const { values, referentialEqualities, v } = meta as { values?: unknown; referentialEqualities?: unknown; v?: unknown };
  if ((values !== undefined || referentialEqualities !== undefined) && v !== 1) invalid('`meta.v` must be 1 (superjson 2)');

  let paths = 0;
  const countPath = (): void => {
    if (++paths > limits.maxPaths) tooLarge(`has more than ${limits.maxPaths} annotated paths`);
  };
  let largestCollection = 0;

  const root: Location = { value: json, targeted: false, typed: false, passed: false };
  const stepInto = (at: Location, segment: string, path: string): Location => {
    let next = at.children?.get(segment);
    if (next !== undefined) return next;
    const container = at.value;
    let value: unknown;
    if (Array.isArray(container)) {
      if (!/^(0|[1-9]\d*)$/.test(segment) || Number(segment) >= container.length) invalid(`path "${path}" names no element of its array`);
      value = container[Number(segment)];
    } else if (isPlainObject(container)) {
      if (FORBIDDEN_KEYS.has(segment) || !Object.hasOwn(container, segment)) invalid(`path "${path}" names no field of its object`);
      value = container[segment];
    } else {
      invalid(`path "${path}" walks into a value that has no fields`);
    }
    next = { value, targeted: false, typed: false, passed: false };
    at.children ??= new Map();
    at.children.set(segment, next);
    return next;
  };
  const annotate = (at: Location, type: unknown, path: string): void => {
    if (at.passed) invalid(`"${path}" is annotated, but another path walks through it`);
    at.typed = true;
    const value = at.value;
    if (typeof type === 'string' && SIMPLE_TYPES.has(type)) {
      if (type === 'bigint') {
        if (typeof value !== 'string') invalid(`the BigInt at "${path}" is not a string`);
        if (value.length > limits.maxBigIntDigits) tooLarge(`has a BigInt of ${value.length} digits at "${path}", over ${limits.maxBigIntDigits}`);
      } else if ((type === 'set' || type === 'map') && Array.isArray(value)) {
        largestCollection = Math.max(largestCollection, value.length);
      } else if (type === 'set' || type === 'map') {
        invalid(`the ${type} at "${path}" is not an array`);
      }
      return;
    }
    if (Array.isArray(type) && type.length === 2 && type[0] === 'typed-array' && TYPED_ARRAYS.has(type[1] as string)) {
      if (!Array.isArray(value)) invalid(`the ${String(type[1])} at "${path}" is not an array`);
      // Their elements are BigInt strings: each is parsed, so each must be no longer than a 64-bit integer.
      if (String(type[1]).startsWith('Big') && value.some((element) => typeof element !== 'string' || element.length > MAX_INT64_CHARS)) {
        invalid(`the ${String(type[1])} at "${path}" holds an element that is not a 64-bit integer string`);
      }
      return;
    }
    invalid(
      `unsupported annotation ${JSON.stringify(type)} at "${path}" (registered classes, symbols and custom types cannot be rebuilt on the edge)`,
    );
  };

  // Every annotation tree: its own type (if any), then its children's paths, relative to where it sits.
  const trees: Array<{ tree: unknown; at: Location; path: string }> = values === undefined ? [] : [{ tree: values, at: root, path: '' }];
  for (let next = trees.pop(); next !== undefined; next = trees.pop()) {
    const { tree, at, path } = next;
    let children: unknown;
    if (Array.isArray(tree)) {
      if (tree.length < 1 || tree.length > 2) invalid(`the annotation at "${path}" must be [type] or [type, children]`);
      annotate(at, tree[0], path);
      children = tree[1];
    } else {
      children = tree;
    }
    if (children === undefined) continue;
    if (!isPlainObject(children)) invalid(`the children of "${path}" must be an object`);
    for (const [key, subtree] of Object.entries(children)) {
      countPath();
      const fullPath = path === '' ? key : `${path}.${key}`;
      const segments = parsePath(key, invalid);
      let location = at;
      segments.forEach((segment, i) => {
        location = stepInto(location, segment, fullPath);
        if (i === segments.length - 1) return;
        if (location.typed) invalid(`path "${fullPath}" walks through a value that is itself annotated`);
        location.passed = true;
      });
      if (location.targeted) invalid(`"${fullPath}" is annotated twice`);
      location.targeted = true;
      trees.push({ tree: subtree, at: location, path: fullPath });
    }
  }

  if (referentialEqualities === undefined) return;
  const referencePaths = collectReferencePaths(referentialEqualities, invalid);
  let work = 0;
  for (const path of referencePaths) {
    countPath();
    if (typeof path !== 'string') invalid('a shared-reference path is not a string');
    work += (parsePath(path, invalid).length + 1) * (largestCollection + 1);
    if (work > limits.maxReferenceWork) {
      tooLarge(
        `needs more than ${limits.maxReferenceWork} steps to rewire its shared references (${referencePaths.length} paths, Maps/Sets of up to ${largestCollection} entries)`,
      );
    }
  }
}

/** superjson's shared references: `{ path: [paths...] }`, or `[rootPaths]` / `[rootPaths, { path: [paths...] }]`. */
function collectReferencePaths(annotations: unknown, invalid: (what: string) => never): unknown[] {
  const fromRecord = (record: unknown): unknown[] => {
    if (!isPlainObject(record)) invalid('`meta.referentialEqualities` must be an object or an array');
    const paths: unknown[] = [];
    for (const [representative, identical] of Object.entries(record)) {
      if (!Array.isArray(identical)) invalid(`the shared references of "${representative}" must be an array of paths`);
      paths.push(representative, ...identical);
    }
    return paths;
  };
  if (!Array.isArray(annotations)) return fromRecord(annotations);
  const [rootPaths, others] = annotations as [unknown, unknown];
  if (annotations.length < 1 || annotations.length > 2 || !Array.isArray(rootPaths)) {
    invalid('`meta.referentialEqualities` as an array must be [rootPaths] or [rootPaths, paths]');
  }
  return others === undefined ? [...rootPaths] : [...rootPaths, ...fromRecord(others)];
}

/**
 * Splits a superjson path (format v1) into segments: `.` separates, `\.` is a literal dot, `\\` a literal
 * backslash; any other escape is an error, as in superjson.
 */
function parsePath(path: string, invalid: (what: string) => never): string[] {
  if (!path.includes('\\')) return path.split('.');
  const segments: string[] = [];
  let segment = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i]!;
    if (char === '.') {
      segments.push(segment);
      segment = '';
    } else if (char === '\\') {
      const escaped = path[i + 1];
      if (escaped !== '.' && escaped !== '\\') invalid(`path "${path}" has an invalid escape`);
      segment += escaped;
      i++;
    } else {
      segment += char;
    }
  }
  segments.push(segment);
  return segments;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
