/**
 * Containers without a prototype, for everything the prelude builds and hands to JSON.stringify or the host:
 * plain assignment to them cannot reach an inherited setter, and JSON.stringify finds no inherited toJSON.
 */
import { defineProperty, objectCreate, setPrototypeOf, slice } from './intrinsics.ts';
import { TRUNCATED_SUFFIX } from './guestApi.ts';

/** An array without a prototype (still an array to Array.isArray and JSON.stringify). */
export const list = <T>(): T[] => setPrototypeOf([], null) as T[];

/** An object without a prototype. */
export const record = <T extends object>(): T => objectCreate(null) as T;

/** One descriptor object, prototype-free so an inherited "get" or "set" cannot turn it into an accessor. */
const slot = record<PropertyDescriptor>();
slot.writable = true;
slot.enumerable = true;
slot.configurable = true;

/** Sets `target[key]` as an own data field, whatever setters `target` or its prototypes define. */
export const put = (target: object, key: string, value: unknown): void => {
  slot.value = value;
  defineProperty(target, key, slot);
  slot.value = undefined;
};

/** `s` cut to `max` characters, marked as cut. */
export const clip = (s: string, max: number): string => (s.length > max ? slice(s, 0, max) + TRUNCATED_SUFFIX : s);

/**
 * Appends to a list() made above. Only to those: on an ordinary array, writing past the end would reach an
 * index setter on Array.prototype.
 */
export const push = <T>(items: T[], item: T): void => {
  items[items.length] = item;
};
