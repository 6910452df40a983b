import { ArrayBufferProto, BRAND, DateProto, getPrototypeOf, hasBrand, MapProto, ObjectProto, SetProto } from './intrinsics.ts';

/** The built-ins the prelude treats apart from plain objects ('' for anything else). */
export type Builtin = 'map' | 'set' | 'date' | 'arraybuffer' | '';

/**
 * Which built-in an object is, without throwing: a throw costs a backtrace as deep as the stack, which made
 * encoding a deep result quadratic. Only an object whose prototype chain holds a built-in's prototype is
 * brand-checked (one throw at most, for an object that lies about its prototype); a built-in object moved onto
 * another prototype is treated as a plain object, which only loses its own internal data.
 */
export const builtinOf = (v: object): Builtin => {
  let p = getPrototypeOf(v) as object | null;
  for (let n = 0; p !== null && p !== ObjectProto && n < 64; n++, p = getPrototypeOf(p) as object | null) {
    if (p === MapProto) return hasBrand(BRAND.map, v) ? 'map' : '';
    if (p === SetProto) return hasBrand(BRAND.set, v) ? 'set' : '';
    if (p === DateProto) return hasBrand(BRAND.date, v) ? 'date' : '';
    if (p === ArrayBufferProto) return hasBrand(BRAND.arrayBuffer, v) ? 'arraybuffer' : '';
  }
  return '';
};
