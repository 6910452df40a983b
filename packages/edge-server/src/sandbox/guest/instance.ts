/**
 * The node instance the sandbox hosts: built by setup(), called by invoke(), read by snapshot(). User code runs
 * in all three (the constructor, the method, getters on its fields), under the host's deadline.
 */
import { list, push, put, record } from './containers.ts';
import { decode } from './decode.ts';
import { encode } from './encode.ts';
import type { CallMode, EncodedResult } from './guestApi.ts';
import {
  apply,
  construct,
  getOwnPropertyDescriptor,
  getOwnPropertyNames,
  getPrototypeOf,
  hasOwn,
  isArray,
  jsonStringify,
  ObjectProto,
  objectCreate,
  objectKeys,
  promiseOf,
  SetCtor,
  slice,
  setHolds,
  setPut,
  SymbolAsyncIterator,
  SymbolIterator,
  then,
  TypeErrorCtor,
} from './intrinsics.ts';
import { limits } from './limits.ts';

type Instance = Record<string, unknown>;
let instance: Instance;

/**
 * Public methods along the prototype chain, nearest definition first, as JSON. Stops one past the cap so the
 * host can tell a class that has too many.
 */
const methodList = (proto: object | null): string => {
  const names = list<string>();
  const found = new SetCtor<string>();
  for (let p = proto; p !== null && p !== ObjectProto && names.length <= limits.methods; p = getPrototypeOf(p) as object | null) {
    const own = getOwnPropertyNames(p);
    for (let i = 0; i < own.length && names.length <= limits.methods; i++) {
      const name = own[i];
      if (name === 'constructor' || setHolds(found, name)) continue;
      setPut(found, name);
      const d = getOwnPropertyDescriptor(p, name);
      if (d !== undefined && hasOwn(d, 'value') && typeof d.value === 'function') push(names, name);
    }
  }
  return jsonStringify(names);
};

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';

const one = (v: unknown): unknown[] => {
  const out = list<unknown>();
  if (v !== undefined) out[0] = v;
  return out;
};

/**
 * A process() result as the list of outputs it stands for: nothing, one value, or what an iterator yields.
 * Counted as a local Pipeline counts them: undefined is never an output (returned or yielded); an array is one.
 */
const collect = (r: unknown): unknown[] | Promise<unknown[]> => {
  if (r === undefined) return list();
  if (isThenable(r)) return then(promiseOf(r), one);
  if (r !== null && typeof r === 'object' && !isArray(r) && typeof (r as Iterator<unknown>).next === 'function') {
    if (typeof (r as AsyncIterable<unknown>)[SymbolAsyncIterator] === 'function') {
      return (async () => {
        const out = list<unknown>();
        for await (const item of r as AsyncIterable<unknown>) if (item !== undefined) push(out, item);
        return out;
      })();
    }
    if (typeof (r as Iterable<unknown>)[SymbolIterator] === 'function') {
      const out = list<unknown>();
      for (const item of r as Iterable<unknown>) if (item !== undefined) push(out, item);
      return out;
    }
  }
  return one(r);
};

export const setup = (nodeClass: unknown, json: string, buffers: ArrayBuffer[] | undefined, restore: boolean): string => {
  if (typeof nodeClass !== 'function') {
    throw new TypeErrorCtor('the entry export is not a class (got ' + (nodeClass === null ? 'null' : typeof nodeClass) + ')');
  }
  const value = decode(json, buffers);
  if (restore) {
    instance = objectCreate((nodeClass as { prototype: object | null }).prototype) as Instance;
    if (value !== null && typeof value === 'object') {
      const fields = value as Record<string, unknown>;
      const keys = objectKeys(fields);
      for (let i = 0; i < keys.length; i++) put(instance, keys[i], fields[keys[i]]);
    }
  } else {
    instance = construct(nodeClass, value as unknown[]) as Instance;
  }
  return '{"methods":' + methodList(getPrototypeOf(instance) as object | null) + ',"formats":' + formatList(nodeClass) + '}';
};

/** Longest declaration copied out; a longer one is reported by its length alone, for the host to refuse. */
const MAX_FORMATS = 8;

/**
 * The class's static `acceptedFormats` (the pixel formats its process takes) as JSON: `null` when it declares
 * none, its first MAX_FORMATS entries with non-strings as null, or the bare length of a list too long to be
 * one. The host checks it (an invalid declaration refuses the deploy) and converts frames before each call.
 */
const formatList = (nodeClass: unknown): string => {
  const declared = (nodeClass as Record<string, unknown>).acceptedFormats;
  if (declared === undefined) return 'null';
  if (!isArray(declared)) return jsonStringify(typeof declared);
  const n = declared.length;
  if (n > MAX_FORMATS) return jsonStringify(n);
  const out = list<string | null>();
  for (let i = 0; i < n; i++) {
    const entry = declared[i];
    push(out, typeof entry === 'string' ? slice(entry, 0, 16) : null);
  }
  return jsonStringify(out);
};

export const invoke = (method: string, json: string, buffers: ArrayBuffer[] | undefined, mode: CallMode): unknown => {
  const args = decode(json, buffers) as unknown[];
  const fn = instance[method];
  if (typeof fn !== 'function') throw new TypeErrorCtor(method + ' is not a function');
  const r: unknown = apply(fn, instance, args);
  if (mode === 'process') return collect(r);
  return isThenable(r) ? promiseOf(r) : r;
};

export const snapshot = (): EncodedResult => {
  const out = record<Record<string, unknown>>();
  const keys = objectKeys(instance);
  for (let i = 0; i < keys.length; i++) put(out, keys[i], instance[keys[i]]);
  return encode(out);
};
