/**
 * Values host -> guest, in the format of valueFormat.ts. What this builds is handed to user code, so it has
 * ordinary prototypes; fields are still written with defineProperty, so no setter user code installed runs.
 */
import { put } from './containers.ts';
import {
  BigIntFn,
  DateCtor,
  hasOwn,
  isArray,
  jsonParse,
  MapCtor,
  mapPut,
  objectKeys,
  SetCtor,
  setPut,
  TYPED_ARRAY_CTORS,
  TypeErrorCtor,
} from './intrinsics.ts';
import { specialNumberValue, TAG_KEY, Tag, type Encoded, type EncodedObject, type TaggedValue } from './valueFormat.ts';

/**
 * Decodes the host's JSON text; typed arrays and ArrayBuffers refer to `inputBuffers` (host-filled guest
 * ArrayBuffers, adopted without a copy).
 *
 * The helpers below are mutually recursive closures, i.e. reference cycles that only QuickJS's cycle collector
 * frees. The buffers are dropped from their scope before returning: host-allocated buffers are invisible to
 * QuickJS's GC trigger, so a cycle holding one would leak a frame per call until memory runs out.
 */
export const decode = (json: string, inputBuffers: ArrayBuffer[] | undefined): unknown => {
  let buffers = inputBuffers;
  const dec = (v: Encoded): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (isArray(v)) {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) items[i] = dec(v[i]);
      return items;
    }
    if (!hasOwn(v, TAG_KEY)) return decObject(v as EncodedObject);
    const t = v as TaggedValue;
    switch (t[TAG_KEY]) {
      case Tag.Undefined:
        return undefined;
      case Tag.SpecialNumber:
        return specialNumberValue(t.v);
      case Tag.BigInt:
        return BigIntFn(t.v);
      case Tag.Date:
        return new DateCtor(t.v === null ? NaN : t.v);
      case Tag.Map: {
        const m = new MapCtor<unknown, unknown>();
        for (let i = 0; i < t.v.length; i++) mapPut(m, dec(t.v[i][0]), dec(t.v[i][1]));
        return m;
      }
      case Tag.Set: {
        const s = new SetCtor<unknown>();
        for (let i = 0; i < t.v.length; i++) setPut(s, dec(t.v[i]));
        return s;
      }
      case Tag.TypedArray:
        return new TYPED_ARRAY_CTORS[t.k](buffers![t.i], t.o, t.l);
      case Tag.ArrayBuffer:
        return buffers![t.i];
      case Tag.EscapedObject:
        return decObject(t.v);
    }
    throw new TypeErrorCtor('unknown value tag');
  };
  const decObject = (o: EncodedObject): object => {
    const keys = objectKeys(o);
    for (let i = 0; i < keys.length; i++) put(o, keys[i], dec(o[keys[i]]));
    return o;
  };
  try {
    return dec(jsonParse(json) as Encoded);
  } finally {
    buffers = undefined;
  }
};
