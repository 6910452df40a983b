/**
 * The membrane's value format, host side: encodes what goes into a guest and decodes (and checks) what comes
 * out. The format itself, every tag and what it carries, is defined once in guest/valueFormat.ts, which the
 * guest's prelude is built from too.
 */

import { InvalidResult } from './InvalidResult.ts';
import {
  specialNumberName,
  specialNumberValue,
  TAG_KEY,
  Tag,
  TYPED_ARRAY_KINDS,
  typedArrayConstructors,
  type Encoded,
  type EncodedObject,
  type TaggedValue,
  type TypedArrayKind,
} from './guest/valueFormat.ts';

const TYPED_ARRAY_CTORS = typedArrayConstructors(globalThis);
const KINDS: ReadonlySet<string> = new Set(TYPED_ARRAY_KINDS);

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

  const enc = (v: unknown, path: string, depth: number): Encoded => {
    switch (typeof v) {
      case 'undefined':
        return { [TAG_KEY]: Tag.Undefined } satisfies TaggedValue;
      case 'boolean':
      case 'string':
        return v;
      case 'number': {
        const name = specialNumberName(v);
        return name === undefined ? v : ({ [TAG_KEY]: Tag.SpecialNumber, v: name } satisfies TaggedValue);
      }
      case 'bigint':
        return { [TAG_KEY]: Tag.BigInt, v: v.toString() } satisfies TaggedValue;
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
      const kind = v.constructor.name;
      if (!KINDS.has(kind)) throw new MarshalError(`unsupported binary type ${kind} (at ${path})`);
      const ta = v as ArrayBufferView & { length: number };
      buffers.push(new Uint8Array(ta.buffer, ta.byteOffset, ta.byteLength));
      return { [TAG_KEY]: Tag.TypedArray, k: kind as TypedArrayKind, i: buffers.length - 1, o: 0, l: ta.length } satisfies TaggedValue;
    }
    if (v instanceof ArrayBuffer) {
      buffers.push(new Uint8Array(v));
      return { [TAG_KEY]: Tag.ArrayBuffer, i: buffers.length - 1, o: 0, l: v.byteLength } satisfies TaggedValue;
    }
    if (v instanceof Date) {
      const t = v.getTime();
      return { [TAG_KEY]: Tag.Date, v: Number.isNaN(t) ? null : t } satisfies TaggedValue;
    }
    ancestors.add(v);
    try {
      if (Array.isArray(v)) {
        const out = new Array<Encoded>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = enc(v[i], `${path}[${i}]`, depth + 1);
        return out;
      }
      if (v instanceof Map) {
        const entries: [Encoded, Encoded][] = [];
        let i = 0;
        for (const [k, val] of v) {
          entries.push([enc(k, `${path}<key ${i}>`, depth + 1), enc(val, `${path}<value ${i}>`, depth + 1)]);
          i++;
        }
        return { [TAG_KEY]: Tag.Map, v: entries } satisfies TaggedValue;
      }
      if (v instanceof Set) {
        const items: Encoded[] = [];
        let i = 0;
        for (const item of v) items.push(enc(item, `${path}<item ${i++}>`, depth + 1));
        return { [TAG_KEY]: Tag.Set, v: items } satisfies TaggedValue;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const name = (v as { constructor?: { name?: unknown } }).constructor?.name;
        throw new MarshalError(`cannot pass a ${String(name ?? 'non-plain object')} into the sandbox (at ${path})`);
      }
      const out: EncodedObject = {};
      for (const key of Object.keys(v)) {
        defineField(out, key, enc((v as Record<string, unknown>)[key], `${path}.${key}`, depth + 1));
      }
      return Object.hasOwn(out, TAG_KEY) ? ({ [TAG_KEY]: Tag.EscapedObject, v: out } satisfies TaggedValue) : out;
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
    const tag = obj[TAG_KEY];
    const tagged = Object.hasOwn(obj, TAG_KEY);
    const isContainer = Array.isArray(v) || !tagged || tag === Tag.Map || tag === Tag.Set || tag === Tag.EscapedObject;
    if (isContainer && depth >= bounds.depth) throw InvalidResult.forged(`it is nested deeper than ${bounds.depth} levels`);
    if (Array.isArray(v)) return v.map((item) => dec(item, depth + 1));
    if (!tagged) return decodePlainObject(obj, depth);
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.SpecialNumber: {
        const n = specialNumberValue(obj.v);
        if (n === undefined) throw InvalidResult.forged('it has a malformed special number');
        return n;
      }
      case Tag.BigInt:
        if (typeof obj.v !== 'string' || !/^-?\d+$/.test(obj.v)) throw InvalidResult.forged('it has a malformed BigInt');
        return BigInt(obj.v);
      case Tag.Date:
        if (obj.v === null) return new Date(Number.NaN);
        if (typeof obj.v !== 'number') throw InvalidResult.forged('it has a malformed Date');
        return new Date(obj.v);
      case Tag.Map: {
        if (!Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed Map');
        const map = new Map<unknown, unknown>();
        for (const entry of obj.v) {
          if (!Array.isArray(entry) || entry.length !== 2) throw InvalidResult.forged('it has a malformed Map entry');
          map.set(dec(entry[0], depth + 1), dec(entry[1], depth + 1));
        }
        return map;
      }
      case Tag.Set: {
        if (!Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed Set');
        const set = new Set<unknown>();
        for (const item of obj.v) set.add(dec(item, depth + 1));
        return set;
      }
      case Tag.TypedArray: {
        const kind = obj.k;
        if (typeof kind !== 'string' || !KINDS.has(kind)) {
          throw InvalidResult.forged(`it has an unsupported typed array kind ${JSON.stringify(String(kind)).slice(0, 40)}`);
        }
        const Ctor = TYPED_ARRAY_CTORS[kind as TypedArrayKind];
        const index = checkedInt(obj.i, 'buffer index');
        const offset = checkedInt(obj.o, 'byte offset');
        const length = checkedInt(obj.l, 'length');
        const byteLength = length * Ctor.BYTES_PER_ELEMENT;
        if (!Number.isSafeInteger(byteLength)) throw InvalidResult.forged('it has a typed array length out of range');
        const bytes = readBuffer(index, offset, byteLength);
        // The reader returns a fresh copy at offset 0, so the view is always aligned.
        return new Ctor(bytes.buffer, bytes.byteOffset, length);
      }
      case Tag.ArrayBuffer: {
        const bytes = readBuffer(checkedInt(obj.i, 'buffer index'), checkedInt(obj.o, 'byte offset'), checkedInt(obj.l, 'length'));
        return bytes.buffer;
      }
      case Tag.EscapedObject:
        if (obj.v === null || typeof obj.v !== 'object' || Array.isArray(obj.v)) throw InvalidResult.forged('it has a malformed object');
        return decodePlainObject(obj.v as Record<string, unknown>, depth);
      default:
        throw InvalidResult.forged(`it has an unknown value tag ${JSON.stringify(String(tag)).slice(0, 40)}`);
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
