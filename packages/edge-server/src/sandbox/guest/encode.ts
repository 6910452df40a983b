/**
 * Values guest -> host, in the format of valueFormat.ts. Constant work per value, counted against the values
 * limit, so a deep, wide or shared (DAG) result costs at most that many steps; binary parts leave as byte views
 * that pack() copies into the host's exchange arena. Everything built here is prototype-free (containers.ts),
 * so no hook user code installed runs when the result is stringified.
 */
import { builtinOf } from './builtins.ts';
import { list, push, put, record } from './containers.ts';
import type { EncodedResult } from './guestApi.ts';
import {
  arrayBufferByteLength,
  bigintText,
  copyInto,
  dateTime,
  ErrorCtor,
  hasOwn,
  isArray,
  jsonStringify,
  mapEach,
  objectKeys,
  SetCtor,
  setEach,
  setHolds,
  setPut,
  setRemove,
  slice,
  typedArrayBuffer,
  typedArrayByteLength,
  typedArrayByteOffset,
  typedArrayKind,
  typedArrayLength,
  TypeErrorCtor,
  U8,
} from './intrinsics.ts';
import { limits } from './limits.ts';
import {
  alignedSize,
  specialNumberName,
  TAG_KEY,
  Tag,
  type Encoded,
  type EncodedObject,
  type ResultEnvelope,
  type TaggedAs,
  type TaggedValue,
  type TypedArrayKind,
} from './valueFormat.ts';

/** An error with its own name (ResultShapeError, ResultTooLarge), which the host maps to its error codes. */
const named = (name: string, message: string): Error => {
  const e = new ErrorCtor(message);
  put(e, 'name', name);
  return e;
};

const MAP_KEY = record();
const MAP_VALUE = record();
const SET_ITEM = record();
type Step = number | string | typeof MAP_KEY;

/** A tagged value with only its tag set; the caller fills in what the tag carries. */
const tagged = <T extends Tag>(t: T): TaggedAs<T> => {
  const o = record<Record<string, unknown>>();
  o[TAG_KEY] = t;
  return o as unknown as TaggedAs<T>;
};

export const encode = (value: unknown): EncodedResult => {
  let views: Uint8Array[] | undefined = list();
  const sizes = list<number>();
  const active = new SetCtor<unknown>();
  const trail = list<Step>();
  let count = 0;
  let bytes = 0;

  /** Where in the result the encoder is, for error messages ("result.frames[3].data"). */
  const where = (): string => {
    let p = 'result';
    for (let i = 0; i < trail.length && p.length < 200; i++) {
      const k = trail[i];
      p +=
        typeof k === 'number'
          ? '[' + k + ']'
          : k === MAP_KEY
            ? '<key>'
            : k === MAP_VALUE
              ? '<value>'
              : k === SET_ITEM
                ? '<item>'
                : '.' + ((k as string).length > 40 ? slice(k as string, 0, 40) + '...' : k);
    }
    return p;
  };
  const refuse = (what: string): never => {
    throw new TypeErrorCtor('cannot pass ' + what + ' out of the sandbox (at ' + where() + ')');
  };
  const overShape = (what: string): never => {
    throw named('ResultShapeError', what + ' (at ' + where() + ')');
  };
  const spend = (n: number): void => {
    bytes += n;
    if (bytes > limits.bytes) throw named('ResultTooLarge', 'it carries more than ' + limits.bytes + ' bytes (at ' + where() + ')');
  };
  const binary = (kind: string | undefined, buffer: ArrayBufferLike, byteOffset: number, byteLength: number, length: number): TaggedValue => {
    const parts = views as Uint8Array[];
    if (parts.length >= limits.binaryParts) overShape('it has more than ' + limits.binaryParts + ' typed arrays and ArrayBuffers');
    spend(byteLength + 64);
    const out = kind === undefined ? tagged(Tag.ArrayBuffer) : tagged(Tag.TypedArray);
    if (out[TAG_KEY] === Tag.TypedArray) out.k = kind as TypedArrayKind;
    out.i = parts.length;
    out.o = 0;
    out.l = length;
    push(sizes, byteLength);
    push(parts, new U8(buffer, byteOffset, byteLength));
    return out;
  };
  const within = (step: Step, v: unknown, depth: number): Encoded => {
    push(trail, step);
    const out = enc(v, depth + 1);
    trail.length--;
    return out;
  };
  const enc = (v: unknown, depth: number): Encoded => {
    if (++count > limits.values) overShape('it has more than ' + limits.values + ' values');
    switch (typeof v) {
      case 'undefined':
        spend(8);
        return tagged(Tag.Undefined);
      case 'boolean':
        spend(5);
        return v;
      case 'string':
        spend(v.length + 2);
        return v;
      case 'number': {
        spend(24);
        const name = specialNumberName(v);
        if (name === undefined) return v;
        const n = tagged(Tag.SpecialNumber);
        n.v = name;
        return n;
      }
      case 'bigint': {
        const b = tagged(Tag.BigInt);
        b.v = bigintText(v);
        spend(b.v.length + 16);
        return b;
      }
      case 'object':
        break;
      default:
        refuse('a ' + typeof v);
    }
    if (v === null) {
      spend(4);
      return null;
    }
    const o = v as Record<string, unknown>;
    const kind = typedArrayKind(o);
    if (kind !== undefined) return binary(kind, typedArrayBuffer(o), typedArrayByteOffset(o), typedArrayByteLength(o), typedArrayLength(o));
    const builtin = isArray(o) ? '' : builtinOf(o);
    if (builtin === 'arraybuffer') {
      const n = arrayBufferByteLength(o);
      return binary(undefined, o as unknown as ArrayBuffer, 0, n, n);
    }
    if (builtin === 'date') {
      spend(32);
      const t = dateTime(o);
      const d = tagged(Tag.Date);
      d.v = t === t ? t : null;
      return d;
    }
    if (depth >= limits.depth) overShape('it is nested deeper than ' + limits.depth + ' levels');
    if (setHolds(active, o)) refuse('a cyclic value');
    setPut(active, o);
    let out: Encoded;
    if (builtin === 'map') {
      const items = list<[Encoded, Encoded]>();
      mapEach(o, (val, key) => {
        const pair = list<Encoded>() as unknown as [Encoded, Encoded];
        pair[0] = within(MAP_KEY, key, depth);
        pair[1] = within(MAP_VALUE, val, depth);
        push(items, pair);
      });
      const m = tagged(Tag.Map);
      m.v = items;
      out = m;
    } else if (builtin === 'set') {
      const items = list<Encoded>();
      setEach(o, (val) => push(items, within(SET_ITEM, val, depth)));
      const s = tagged(Tag.Set);
      s.v = items;
      out = s;
    } else if (isArray(o)) {
      const items = list<Encoded>();
      spend(2);
      for (let i = 0; i < o.length; i++) items[i] = within(i, o[i], depth);
      out = items;
    } else {
      const fields = record<EncodedObject>();
      spend(2);
      const keys = objectKeys(o);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        spend(key.length + 4);
        put(fields, key, within(key, o[key], depth));
      }
      if (hasOwn(fields, TAG_KEY)) {
        const escaped = tagged(Tag.EscapedObject);
        escaped.v = fields;
        out = escaped;
      } else {
        out = fields;
      }
    }
    setRemove(active, o);
    return out;
  };
  try {
    const envelope = record<ResultEnvelope>();
    envelope.v = enc(value, 0);
    envelope.b = sizes;
    const result = list<unknown>() as unknown as EncodedResult;
    result[0] = jsonStringify(envelope);
    result[1] = views as Uint8Array[];
    return result;
  } finally {
    // binary() closes over `views`: drop the frames it holds rather than leave them to the cycle collector.
    views = undefined;
  }
};

/**
 * Copies an encoded result's views into the arena at aligned offsets, the layout the host computes from the
 * sizes it read (and checked) out of the JSON.
 */
export const pack = (result: EncodedResult, arena: ArrayBuffer): void => {
  const views = result[1];
  const target = new U8(arena);
  let offset = 0;
  for (let i = 0; i < views.length; i++) {
    const view = views[i];
    copyInto(target, view, offset);
    offset += alignedSize(typedArrayLength(view));
  }
};
