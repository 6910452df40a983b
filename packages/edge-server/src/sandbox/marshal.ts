/**
 * The membrane's value format, host side. Values cross into and out of a QuickJS guest as one JSON string plus
 * a list of binary buffers, never as host objects or functions. The guest side of the same format lives in
 * guestPrelude.ts.
 *
 * JSON values stand for themselves, except objects carrying a "$t" key, which are tagged values:
 *   {"$t":"u"}                                 undefined
 *   {"$t":"n","v":"NaN"|"Infinity"|"-Infinity"|"-0"}
 *   {"$t":"b","v":"123"}                       BigInt
 *   {"$t":"d","v":ms|null}                     Date (null for an invalid date)
 *   {"$t":"m","v":[[k,v],...]}                 Map
 *   {"$t":"s","v":[v,...]}                     Set
 *   {"$t":"x","k":"Uint8Array","i":0,"o":0,"l":n}  typed array: n elements at byte offset o of buffer i
 *   {"$t":"ab","i":0,"o":0,"l":bytes}           ArrayBuffer (a copy of l bytes at o of buffer i)
 *   {"$t":"o","v":{...}}                       a plain object that itself has a "$t" key
 * Binary data never goes through JSON: a 320x240 RGBA frame costs one memcpy each way.
 */

import { InvalidResult } from './InvalidResult.ts';

export const TYPED_ARRAY_KINDS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

export type TypedArrayKind = keyof typeof TYPED_ARRAY_KINDS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAY_KINDS)[TypedArrayKind]>;

/** Values going into the guest: the JSON text and the bytes of each buffer it refers to. */
export interface EncodedValue {
  json: string;
  buffers: Uint8Array[];
}

/** Thrown when a value cannot cross the membrane; the message names where in the value the problem is. */
export class MarshalError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'MarshalError';
  }
}

const MAX_DEPTH = 512;

/** Encodes a host value (already plain data: it came through structured clone) for the guest. */
export function encodeForGuest(value: unknown): EncodedValue {
  const buffers: Uint8Array[] = [];
  const ancestors = new Set<object>();

  const enc = (v: unknown, path: string, depth: number): unknown => {
    switch (typeof v) {
      case 'undefined':
        return { $t: 'u' };
      case 'boolean':
      case 'string':
        return v;
      case 'number':
        if (Number.isFinite(v) && !Object.is(v, -0)) return v;
        return { $t: 'n', v: Object.is(v, -0) ? '-0' : String(v) };
      case 'bigint':
        return { $t: 'b', v: v.toString() };
      case 'object':
        break;
      default:
        throw new MarshalError(`cannot pass a ${typeof v} into the sandbox (at ${path})`);
    }
    if (v === null) return null;
    if (depth > MAX_DEPTH) throw new MarshalError(`value nested deeper than ${MAX_DEPTH} levels (at ${path})`);
    if (ancestors.has(v)) throw new MarshalError(`cannot pass a cyclic value into the sandbox (at ${path})`);
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView) throw new MarshalError(`cannot pass a DataView into the sandbox (at ${path})`);
      const kind = v.constructor.name as TypedArrayKind;
      if (!(kind in TYPED_ARRAY_KINDS)) throw new MarshalError(`unsupported binary type ${kind} (at ${path})`);
      const ta = v as AnyTypedArray;
      buffers.push(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength));
      return { $t: 'x', k: kind, i: buffers.length - 1, o: 0, l: ta.length };
    }
    if (v instanceof ArrayBuffer) {
      buffers.push(new Uint8Array(v));
      return { $t: 'ab', i: buffers.length - 1, o: 0, l: v.byteLength };
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return { $t: 'd', v: Number.isNaN(t) ? null : t };
    }
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = enc(v[i], `${path}[${i}]`, depth + 1);
        return out;
      }
      if (v instanceof Map) {
        const entries: unknown[] = [];
        let i = 0;
        for (const [k, val] of v) {
          entries.push([enc(k, `${path}<key ${i}>`, depth + 1), enc(val, `${path}<value ${i}>`, depth + 1)]);
          i++;
        }
        return { $t: 'm', v: entries };
      }
      if (v instanceof Set) {
        const items: unknown[] = [];
        let i = 0;
        for (const item of v) items.push(enc(item, `${path}<item ${i++}>`, depth + 1));
        return { $t: 's', v: items };
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
        throw new MarshalError(`cannot pass a ${String(name ?? 'non-plain object')} into the sandbox (at ${path})`);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        defineField(out, key, enc((v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1));
      }
      return Object.hasOwn(out, '$t') ? { $t: 'o', v: out } : out;
    } finally {
      ancestors.delete(v);
    }
  };

  const json = JSON.stringify(enc(value, 'value', 0));
  return { json, buffers };
}

/**
 * Copies binary part `index` of a guest result (`byteOffset`/`byteLength` as the guest wrote them: the reader
 * checks them against the part's declared size, and that each part is taken at most once).
 */
export type GuestBufferReader = (index: number, byteOffset: number, byteLength: number) => Uint8Array<ArrayBuffer>;

/** How far a guest result may go; the guest's encoder enforces the same, so more means the result was forged. */
export interface DecodeBounds {
  /** Containers nested inside each other (a container at this depth is refused). */
  depth: number;
  /** Values decoded, counted once per occurrence. */
  values: number;
}

/**
 * Decodes what a guest sent (the parsed JSON). The guest is untrusted: every tag, index, kind and size is
 * checked, depth and value count are bounded, and objects are built with defineProperty so a "__proto__" key
 * stays an ordinary field. Anything the prelude's encoder cannot produce is an InvalidResult marked forged.
 */
export function decodeFromGuest(parsed: unknown, readBuffer: GuestBufferReader, bounds: DecodeBounds): unknown {
  let count = 0;
  const dec = (v: unknown, depth: number): unknown => {
    if (++count > bounds.values) throw InvalidResult.forged(`it has more than ${bounds.values} values`);
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    const isContainer = Array.isArray(v) || !Object.hasOwn(obj, '$t') || obj.$t === 'm' || obj.$t === 's' || obj.$t === 'o';
    if (isContainer && depth >= bounds.depth) throw InvalidResult.forged(`it is nested deeper than ${bounds.depth} levels`);
    if (Array.isArray(v)) return v.map((item) => dec(item, depth + 1));
    if (!Object.hasOwn(obj, '$t')) return decodePlainObject(obj, depth);
    switch (obj.$t) {
      case 'u':
        return undefined;
      case 'n':
        return decodeSpecialNumber(obj.v);
      case 'b':
        if (typeof obj.v !== 'string' || !/^-?\d+$/.test(obj.v)) throw InvalidResult.forged('it has a malformed BigInt');
        return BigInt(obj.v);
      case 'd':
        if (obj.v === null) return new Date(Number.NaN);
        if (typeof obj.v !== 'number') throw InvalidResult.forged('it has a malformed Date');
        return new Date(obj.v);
      case 'm': {
        if (!Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed Map');
        const map = new Map<unknown, unknown>();
        for (const entry of obj.v) {
          if (!Array.isArray(entry) || entry.length !== 2) throw InvalidResult.forged('it has a malformed Map entry');
          map.set(dec(entry[0], depth + 1), dec(entry[1], depth + 1));
        }
        return map;
      }
      case 's': {
        if (!Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed Set');
        const set = new Set<unknown>();
        for (const item of obj.v) set.add(dec(item, depth + 1));
        return set;
      }
      case 'x': {
        const kind = obj.k;
        if (typeof kind !== 'string' || !Object.hasOwn(TYPED_ARRAY_KINDS, kind)) {
          throw InvalidResult.forged(`it has an unsupported typed array kind ${JSON.stringify(String(kind)).slice(0, 40)}`);
        }
        const Ctor = TYPED_ARRAY_KINDS[kind as TypedArrayKind];
        const index = checkedInt(obj.i, 'buffer index');
        const offset = checkedInt(obj.o, 'byte offset');
        const length = checkedInt(obj.l, 'length');
        const byteLength = length * Ctor.BYTES_PER_ELEMENT;
        if (!Number.isSafeInteger(byteLength)) throw InvalidResult.forged('it has a typed array length out of range');
        const bytes = readBuffer(index, offset, byteLength);
        // The reader returns a fresh copy at offset 0, so the view is always aligned.
        return new Ctor(bytes.buffer, bytes.byteOffset, length);
      }
      case 'ab': {
        const bytes = readBuffer(checkedInt(obj.i, 'buffer index'), checkedInt(obj.o, 'byte offset'), checkedInt(obj.l, 'length'));
        return bytes.buffer;
      }
      case 'o':
        if (obj.v === null || typeof obj.v !== 'object' || Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed object');
        return decodePlainObject(obj.v as Record<string, unknown>, depth);
      default:
        throw InvalidResult.forged(`it has an unknown value tag ${JSON.stringify(String(obj.$t)).slice(0, 40)}`);
    }
  };

  const decodePlainObject = (obj: Record<string, unknown>, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) defineField(out, key, dec(obj[key], depth + 1));
    return out;
  };

  return dec(parsed, 0);
}

function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Reads guest-written special numbers; anything else is forged. */
function decodeSpecialNumber(v: unknown): number {
  switch (v) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    case '-0':
      return -0;
    default:
      throw InvalidResult.forged('it has a malformed special number');
  }
}

function checkedInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw InvalidResult.forged(`it has a malformed ${what}`);
  return v;
}

/** ArrayBuffers reachable from a decoded value, for postMessage's transfer list (they are fresh copies). */
export function collectTransferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !out.includes(buffer)) out.push(buffer);
    return out;
  }
  if (value instanceof ArrayBuffer) {
    if (!out.includes(value)) out.push(value);
    return out;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) {
      collectTransferables(k, out, seen);
      collectTransferables(v, out, seen);
    }
    return out;
  }
  const items = value instanceof Set ? [...value] : Object.values(value);
  for (const item of items) collectTransferables(item, out, seen);
  return out;
}
