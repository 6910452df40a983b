/**
 * Every built-in the prelude uses, captured while the prelude starts, before any user code exists. User code
 * runs in the same realm and can patch any global or prototype (`Object.prototype.toJSON`, an index setter on
 * `Array.prototype`, a replaced `Uint8Array` or `Map.prototype.set`), so the rest of the prelude calls these
 * captured functions through Reflect.apply and never calls a method it looks up at run time.
 *
 * The wrappers' argument lists are fresh array literals: Reflect.apply reads only their own elements, which no
 * inherited accessor can shadow.
 */
import { typedArrayConstructors } from './valueFormat.ts';

export const apply = Reflect.apply;
export const construct = Reflect.construct;
export const defineProperty = Object.defineProperty;
export const getPrototypeOf = Object.getPrototypeOf;
export const setPrototypeOf = Object.setPrototypeOf;
export const getOwnPropertyNames = Object.getOwnPropertyNames;
export const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
export const objectKeys = Object.keys;
export const objectCreate = Object.create;
export const isArray = Array.isArray;
export const jsonParse = JSON.parse;
export const jsonStringify = JSON.stringify;
export const StringCtor = String;
export const ErrorCtor = Error;
export const TypeErrorCtor = TypeError;
export const U8 = Uint8Array;
export const MapCtor = Map;
export const SetCtor = Set;
export const DateCtor = Date;
export const BigIntFn = BigInt;
export const SymbolIterator: typeof Symbol.iterator = Symbol.iterator;
export const SymbolAsyncIterator: typeof Symbol.asyncIterator = Symbol.asyncIterator;
export const ObjectProto = Object.prototype;
export const MapProto = Map.prototype;
export const SetProto = Set.prototype;
export const DateProto = Date.prototype;
export const ArrayBufferProto = ArrayBuffer.prototype;

/** Typed array constructors by kind name (prototype-free: only the kinds themselves are found). */
export const TYPED_ARRAY_CTORS = typedArrayConstructors(globalThis);
setPrototypeOf(TYPED_ARRAY_CTORS, null);

type Method = (this: never, ...args: never[]) => unknown;
const getter = (target: object, key: PropertyKey): Method => getOwnPropertyDescriptor(target, key)?.get as Method;

const hasOwnFn = Object.prototype.hasOwnProperty;
const objectToStringFn = Object.prototype.toString;
const stringSliceFn = String.prototype.slice;
const symbolToStringFn = Symbol.prototype.toString;
const TypedArrayProto = getPrototypeOf(Uint8Array.prototype) as object;
const typedArraySetFn = (TypedArrayProto as Uint8Array).set;
const taTag = getter(TypedArrayProto, Symbol.toStringTag);
const taBuffer = getter(TypedArrayProto, 'buffer');
const taByteOffset = getter(TypedArrayProto, 'byteOffset');
const taByteLength = getter(TypedArrayProto, 'byteLength');
const taLength = getter(TypedArrayProto, 'length');
const abByteLength = getter(ArrayBuffer.prototype, 'byteLength');
const mapSize = getter(Map.prototype, 'size');
const mapForEach = Map.prototype.forEach;
const mapSet = Map.prototype.set;
const setSize = getter(Set.prototype, 'size');
const setForEach = Set.prototype.forEach;
const setAdd = Set.prototype.add;
const setHas = Set.prototype.has;
const setDelete = Set.prototype.delete;
const dateGetTime = Date.prototype.getTime;
const dateToISOString = Date.prototype.toISOString;
const bigintToString = BigInt.prototype.toString;
const promiseThen = Promise.prototype.then;
const promiseResolveFn = Promise.resolve;
const PromiseCtor = Promise;

export const hasOwn = (o: object, key: PropertyKey): boolean => apply(hasOwnFn, o, [key]);
export const objectTag = (o: object): string => apply(objectToStringFn, o, []);
export const slice = (s: string, start: number, end: number): string => apply(stringSliceFn, s, [start, end]);
export const symbolText = (s: symbol): string => apply(symbolToStringFn, s, []);
/** The typed array's kind ("Uint8Array"), or undefined for anything that is not a typed array. */
export const typedArrayKind = (v: object): string | undefined => apply(taTag, v, []);
export const typedArrayBuffer = (v: object): ArrayBufferLike => apply(taBuffer, v, []);
export const typedArrayByteOffset = (v: object): number => apply(taByteOffset, v, []);
export const typedArrayByteLength = (v: object): number => apply(taByteLength, v, []);
export const typedArrayLength = (v: object): number => apply(taLength, v, []);
export const copyInto = (target: Uint8Array, source: Uint8Array, offset: number): void => apply(typedArraySetFn, target, [source, offset]);
export const arrayBufferByteLength = (v: object): number => apply(abByteLength, v, []);
export const mapSizeOf = (m: object): number => apply(mapSize, m, []);
export const mapEach = (m: object, fn: (value: unknown, key: unknown) => void): void => apply(mapForEach, m, [fn]);
export const mapPut = (m: Map<unknown, unknown>, key: unknown, value: unknown): void => {
  apply(mapSet, m, [key, value]);
};
export const setSizeOf = (s: object): number => apply(setSize, s, []);
export const setEach = (s: object, fn: (value: unknown) => void): void => apply(setForEach, s, [fn]);
export const setPut = (s: Set<unknown>, value: unknown): void => {
  apply(setAdd, s, [value]);
};
export const setHolds = (s: Set<unknown>, value: unknown): boolean => apply(setHas, s, [value]);
export const setRemove = (s: Set<unknown>, value: unknown): void => {
  apply(setDelete, s, [value]);
};
export const dateTime = (d: object): number => apply(dateGetTime, d, []);
export const dateIso = (d: object): string => apply(dateToISOString, d, []);
export const bigintText = (b: bigint): string => apply(bigintToString, b, []);
export const promiseOf = (v: unknown): Promise<unknown> => apply(promiseResolveFn, PromiseCtor, [v]);
export const then = <T>(p: Promise<unknown>, onFulfilled: (value: unknown) => T): Promise<T> => apply(promiseThen, p, [onFulfilled]);

/**
 * Whether `getter` accepts `v` as its receiver (the brand check of a built-in's internal slots), without
 * letting the throw escape.
 */
export const hasBrand = (getterFn: Method, v: object): boolean => {
  try {
    apply(getterFn, v, []);
    return true;
  } catch {
    return false;
  }
};
export const BRAND = { map: mapSize, set: setSize, date: dateGetTime, arrayBuffer: abByteLength };
setPrototypeOf(BRAND, null);
