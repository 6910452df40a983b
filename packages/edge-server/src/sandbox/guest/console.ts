/**
 * The guest's console: output is buffered here and drained by the host after each call (no host function is
 * exposed to the guest). Caps are applied here and again on the host, which cannot trust this code: it runs
 * next to user code.
 */
import { builtinOf } from './builtins.ts';
import { clip, list, push, record } from './containers.ts';
import type { ConsoleDrain, ConsoleLevel } from './guestApi.ts';
import {
  arrayBufferByteLength,
  dateIso,
  defineProperty,
  getOwnPropertyDescriptor,
  hasOwn,
  isArray,
  jsonStringify,
  mapEach,
  mapSizeOf,
  objectKeys,
  objectTag,
  setEach,
  setSizeOf,
  slice,
  StringCtor,
  symbolText,
  typedArrayKind,
  typedArrayLength,
} from './intrinsics.ts';
import { limits } from './limits.ts';

type Entry = ConsoleDrain['e'][number];

let entries = list<Entry>();
let dropped = 0;
let buffered = 0;

const joined = (open: string, parts: string[], close: string): string => {
  let s = open;
  for (let i = 0; i < parts.length; i++) s += (i === 0 ? ' ' : ', ') + parts[i];
  return s + (parts.length > 0 ? ' ' : '') + close;
};

const functionName = (fn: object): string => {
  const d = getOwnPropertyDescriptor(fn, 'name');
  return d !== undefined && hasOwn(d, 'value') && typeof d.value === 'string' && d.value !== '' ? d.value : '(anonymous)';
};

/** Formats like a browser console, stopping once `room` characters are produced. */
const show = (v: unknown, depth: number, seen: unknown[], room: number): string => {
  switch (typeof v) {
    case 'string': {
      const s = v.length > room ? slice(v, 0, room) : v;
      return depth === 0 ? s : jsonStringify(s);
    }
    case 'number':
      return v === 0 && 1 / v < 0 ? '-0' : StringCtor(v);
    case 'bigint':
      return StringCtor(v) + 'n';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'symbol':
      return symbolText(v);
    case 'function':
      return '[Function ' + functionName(v) + ']';
  }
  if (v === null) return 'null';
  const o = v as Record<string, unknown>;
  for (let i = 0; i < seen.length; i++) if (seen[i] === o) return '[Circular]';
  if (depth > 3) return isArray(o) ? '[Array]' : '[Object]';
  if (objectTag(o) === '[object Error]') {
    const head = StringCtor(o.name) + ': ' + StringCtor(o.message);
    const stack = o.stack;
    return typeof stack === 'string' && stack !== '' ? head + '\n' + stack : head;
  }
  const inner = list<unknown>();
  for (let i = 0; i < seen.length; i++) inner[i] = seen[i];
  inner[seen.length] = o;
  const parts = list<string>();
  let used = 0;
  const add = (s: string): void => {
    if (used < room) {
      push(parts, s);
      used += s.length + 2;
    }
  };
  const item = (x: unknown): string => show(x, depth + 1, inner, room - used);
  const kind = typedArrayKind(o);
  if (kind !== undefined) {
    const n = typedArrayLength(o);
    const elements = o as unknown as ArrayLike<unknown>;
    for (let i = 0; i < n && i < 16; i++) add(StringCtor(elements[i]));
    if (n > 16) add('...');
    return joined(kind + '(' + n + ') [', parts, ']');
  }
  const builtin = isArray(o) ? '' : builtinOf(o);
  if (builtin === 'map') {
    mapEach(o, (val, key) => {
      if (used < room) add(item(key) + ' => ' + item(val));
    });
    return joined('Map(' + mapSizeOf(o) + ') {', parts, '}');
  }
  if (builtin === 'set') {
    setEach(o, (val) => {
      if (used < room) add(item(val));
    });
    return joined('Set(' + setSizeOf(o) + ') {', parts, '}');
  }
  if (builtin === 'date') {
    try {
      return dateIso(o);
    } catch {
      return 'Invalid Date';
    }
  }
  if (builtin === 'arraybuffer') return 'ArrayBuffer { byteLength: ' + arrayBufferByteLength(o) + ' }';
  if (isArray(o)) {
    for (let i = 0; i < o.length && used < room; i++) add(item(o[i]));
    return joined('[', parts, ']');
  }
  const keys = objectKeys(o);
  for (let i = 0; i < keys.length && used < room; i++) add(keys[i] + ': ' + item(o[keys[i]]));
  return joined('{', parts, '}');
};

const log =
  (level: ConsoleLevel) =>
  (...args: unknown[]): void => {
    if (entries.length >= limits.consoleEntries || buffered >= limits.consoleBytes) {
      dropped++;
      return;
    }
    const max = limits.consoleEntryChars;
    let text = '';
    for (let i = 0; i < args.length && text.length <= max; i++) {
      if (i > 0) text += ' ';
      try {
        text += show(args[i], 0, list(), max - text.length + 1);
      } catch {
        text += '[unprintable]';
      }
    }
    text = clip(text, max);
    buffered += text.length;
    const entry = record<Entry>();
    entry.level = level;
    entry.text = text;
    push(entries, entry);
  };

/** Puts the buffering console on the global object, where user code finds `console`. */
export const installConsole = (): void => {
  const consoleObject = { log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') };
  defineProperty(globalThis, 'console', { value: consoleObject, writable: true, enumerable: false, configurable: true });
};

/** JSON of what was buffered since the last drain (a ConsoleDrain), or '' when there is nothing. */
export const drainConsole = (): string => {
  if (entries.length === 0 && dropped === 0) return '';
  const out = record<ConsoleDrain>();
  out.e = entries;
  out.d = dropped;
  entries = list();
  dropped = 0;
  buffered = 0;
  return jsonStringify(out);
};
