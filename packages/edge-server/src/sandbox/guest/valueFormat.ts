/**
 * The membrane's value format, the one definition both sides use: the host's marshal.ts and binaryLayout.ts,
 * and the guest's decode.ts and encode.ts. Values cross into and out of a QuickJS guest as one JSON string
 * plus a list of binary buffers, never as host objects or functions.
 *
 * JSON values stand for themselves, except objects carrying a "$t" key, which are tagged values (below, one
 * interface per tag says what it carries). Binary data never goes through JSON: a 320x240 RGBA frame costs one
 * memcpy each way.
 *
 * This module is compiled into the guest too, where user code may have replaced any global method by the time
 * a function here runs: the functions below use operators and literals only, never a method call.
 */

/** The key that marks a JSON object as a tagged value. */
export const TAG_KEY = '$t';

/** Every tag, by what it stands for. */
export const Tag = {
  Undefined: 'u',
  SpecialNumber: 'n',
  BigInt: 'b',
  Date: 'd',
  Map: 'm',
  Set: 's',
  TypedArray: 'x',
  ArrayBuffer: 'ab',
  EscapedObject: 'o',
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

/** The typed arrays that can cross, by constructor name; each side maps a name to its own constructor. */
export const TYPED_ARRAY_KINDS = [
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
] as const;
export type TypedArrayKind = (typeof TYPED_ARRAY_KINDS)[number];

/** What either side needs of a typed array constructor. */
export interface TypedArrayConstructor {
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): ArrayLike<number | bigint>;
}

/**
 * Each kind's constructor, read from `global` by name. The guest calls this once while the prelude starts,
 * before user code could replace a global.
 */
export function typedArrayConstructors(global: object): Readonly<Record<TypedArrayKind, TypedArrayConstructor>> {
  const ctors = {} as Record<TypedArrayKind, TypedArrayConstructor>;
  for (let i = 0; i < TYPED_ARRAY_KINDS.length; i++) {
    const kind = TYPED_ARRAY_KINDS[i] as TypedArrayKind;
    ctors[kind] = (global as Record<TypedArrayKind, TypedArrayConstructor>)[kind];
  }
  return ctors;
}

/** Numbers JSON cannot spell, by the name that stands for each. */
export type SpecialNumberName = 'NaN' | 'Infinity' | '-Infinity' | '-0';

/** `undefined` (as a value, an array element or a field). */
export interface UndefinedValue {
  [TAG_KEY]: typeof Tag.Undefined;
}
/** NaN, the infinities and negative zero. */
export interface SpecialNumberValue {
  [TAG_KEY]: typeof Tag.SpecialNumber;
  v: SpecialNumberName;
}
/** A BigInt as its decimal digits, with a leading "-" when negative. */
export interface BigIntValue {
  [TAG_KEY]: typeof Tag.BigInt;
  v: string;
}
/** A Date as its time in ms, null for an invalid date. */
export interface DateValue {
  [TAG_KEY]: typeof Tag.Date;
  v: number | null;
}
/** A Map as its [key, value] pairs in insertion order. */
export interface MapValue {
  [TAG_KEY]: typeof Tag.Map;
  v: [Encoded, Encoded][];
}
/** A Set as its items in insertion order. */
export interface SetValue {
  [TAG_KEY]: typeof Tag.Set;
  v: Encoded[];
}
/** A typed array: `l` elements of kind `k` at byte offset `o` of binary buffer `i`. */
export interface TypedArrayValue {
  [TAG_KEY]: typeof Tag.TypedArray;
  k: TypedArrayKind;
  i: number;
  o: number;
  l: number;
}
/** An ArrayBuffer: a copy of `l` bytes at byte offset `o` of binary buffer `i`. */
export interface ArrayBufferValue {
  [TAG_KEY]: typeof Tag.ArrayBuffer;
  i: number;
  o: number;
  l: number;
}
/** A plain object that itself has a "$t" key, wrapped so its fields are not read as a tag. */
export interface EscapedObjectValue {
  [TAG_KEY]: typeof Tag.EscapedObject;
  v: EncodedObject;
}

export type TaggedValue =
  | UndefinedValue
  | SpecialNumberValue
  | BigIntValue
  | DateValue
  | MapValue
  | SetValue
  | TypedArrayValue
  | ArrayBufferValue
  | EscapedObjectValue;

/** The tagged value a tag stands for. */
export type TaggedAs<T extends Tag> = Extract<TaggedValue, { [TAG_KEY]: T }>;

export interface EncodedObject {
  [key: string]: Encoded;
}
/** A value in the format: JSON, with tagged values where JSON has no spelling. */
export type Encoded = null | boolean | number | string | Encoded[] | TaggedValue | EncodedObject;

/**
 * What the guest sends back for a result: the encoded value and the byte size of each binary part it refers
 * to, in index order. The parts themselves are copied into the host's arena at BINARY_PART_ALIGNMENT-aligned
 * offsets (see alignedSize), never through JSON.
 */
export interface ResultEnvelope {
  v: Encoded;
  b: number[];
}

/** Binary parts of a result sit in the arena at offsets that are a multiple of this. */
export const BINARY_PART_ALIGNMENT = 8;

/** Bytes a binary part of `size` bytes takes in the arena, padding to the next part included. */
export function alignedSize(size: number): number {
  return size + ((BINARY_PART_ALIGNMENT - (size % BINARY_PART_ALIGNMENT)) % BINARY_PART_ALIGNMENT);
}

/** The name of a number JSON cannot spell, or undefined for an ordinary finite number. */
export function specialNumberName(n: number): SpecialNumberName | undefined {
  if (n !== n) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0 && 1 / n < 0) return '-0';
  return undefined;
}

/** The number a special-number name stands for, or undefined when `name` is not one. */
export function specialNumberValue(name: unknown): number | undefined {
  switch (name) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      return undefined;
  }
}
