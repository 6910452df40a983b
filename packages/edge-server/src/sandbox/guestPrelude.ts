/**
 * Source of the script evaluated in every sandbox before any user module. It runs as trusted code inside the
 * guest and returns (as the script's completion value, never as a global) the functions the host drives:
 * configure, setup, invoke, encode, pack, snapshot, describeError, drainConsole. Its value format is the one
 * documented in marshal.ts.
 *
 * User code runs in the same realm and can patch any global or prototype (`Object.prototype.toJSON`, an index
 * setter on `Array.prototype`, a replaced `Uint8Array`). So the prelude captures every intrinsic it uses before
 * user code exists, builds everything it hands to JSON.stringify or to the host from null-prototype objects and
 * arrays (nothing to inherit a hook from), writes user-named keys with defineProperty through a null-prototype
 * descriptor, and never calls a method looked up at run time. User getters, proxies and iterators still run when
 * the prelude reads user values: that is user code under the call's deadline, and it can only produce more
 * values, which the limits below count. The host re-checks every size and count it reads regardless.
 */
export const GUEST_PRELUDE_SOURCE = String.raw`(function () {
  'use strict';
  const G = globalThis;
  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const setPrototypeOf = Object.setPrototypeOf;
  const getOwnPropertyNames = Object.getOwnPropertyNames;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const objectKeys = Object.keys;
  const objectCreate = Object.create;
  const hasOwn = Object.prototype.hasOwnProperty;
  const objectToString = Object.prototype.toString;
  const ObjectProto = Object.prototype;
  const isArray = Array.isArray;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const StringCtor = String;
  const stringSlice = String.prototype.slice;
  const isFinite = Number.isFinite;
  const objectIs = Object.is;
  const SymbolIterator = Symbol.iterator;
  const SymbolAsyncIterator = Symbol.asyncIterator;
  const symbolToString = Symbol.prototype.toString;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const U8 = Uint8Array;
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const typedArraySet = TypedArrayProto.set;
  const taTag = getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
  const taBuffer = getOwnPropertyDescriptor(TypedArrayProto, 'buffer').get;
  const taByteOffset = getOwnPropertyDescriptor(TypedArrayProto, 'byteOffset').get;
  const taByteLength = getOwnPropertyDescriptor(TypedArrayProto, 'byteLength').get;
  const taLength = getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
  const abByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size').get;
  const mapForEach = Map.prototype.forEach;
  const mapSet = Map.prototype.set;
  const setSize = getOwnPropertyDescriptor(Set.prototype, 'size').get;
  const setForEach = Set.prototype.forEach;
  const setAdd = Set.prototype.add;
  const setHas = Set.prototype.has;
  const setDelete = Set.prototype.delete;
  const dateGetTime = Date.prototype.getTime;
  const dateToISOString = Date.prototype.toISOString;
  const bigintToString = BigInt.prototype.toString;
  const MapCtor = Map, SetCtor = Set, DateCtor = Date, BigIntFn = BigInt;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolveFn = Promise.resolve;
  const promiseResolve = (v) => apply(promiseResolveFn, PromiseCtor, [v]);

  // Containers without a prototype: plain assignment cannot reach an inherited setter, and JSON.stringify finds
  // no inherited toJSON on them.
  const list = () => setPrototypeOf([], null);
  const record = () => objectCreate(null);
  const ctors = record();
  ctors.Int8Array = Int8Array; ctors.Uint8Array = Uint8Array; ctors.Uint8ClampedArray = Uint8ClampedArray;
  ctors.Int16Array = Int16Array; ctors.Uint16Array = Uint16Array; ctors.Int32Array = Int32Array;
  ctors.Uint32Array = Uint32Array; ctors.Float32Array = Float32Array; ctors.Float64Array = Float64Array;
  ctors.BigInt64Array = BigInt64Array; ctors.BigUint64Array = BigUint64Array;
  // One descriptor object, prototype-free so an inherited "get" or "set" cannot turn it into an accessor.
  const slot = record();
  slot.writable = true; slot.enumerable = true; slot.configurable = true;
  const put = (target, key, value) => { slot.value = value; defineProperty(target, key, slot); slot.value = undefined; };
  const clip = (s, n) => (s.length > n ? apply(stringSlice, s, [0, n]) + '... (truncated)' : s);

  // The host writes frame bytes straight into guest ArrayBuffers: nothing in the guest may detach one.
  delete ArrayBuffer.prototype.transfer;
  delete ArrayBuffer.prototype.transferToFixedLength;

  const brand = (getter, v) => { try { apply(getter, v, []); return true; } catch (_) { return false; } };
  // Which built-in an object is, without throwing: a throw costs a backtrace as deep as the stack, which made
  // encoding a deep result quadratic. Only an object whose prototype chain holds a built-in's prototype is
  // brand-checked (one throw at most, for an object that lies about its prototype); a built-in object moved onto
  // another prototype is treated as a plain object, which only loses its own internal data.
  const MapProto = Map.prototype, SetProto = Set.prototype, DateProto = Date.prototype, ArrayBufferProto = ArrayBuffer.prototype;
  const builtinOf = (v) => {
    let p = getPrototypeOf(v);
    for (let n = 0; p !== null && p !== ObjectProto && n < 64; n++, p = getPrototypeOf(p)) {
      if (p === MapProto) return brand(mapSize, v) ? 'map' : '';
      if (p === SetProto) return brand(setSize, v) ? 'set' : '';
      if (p === DateProto) return brand(dateGetTime, v) ? 'date' : '';
      if (p === ArrayBufferProto) return brand(abByteLength, v) ? 'arraybuffer' : '';
    }
    return '';
  };

  // Limits, set once by the host through configure(); the host enforces all of them again on its side.
  let maxDepth = 0, maxValues = 0, maxBytes = 0, maxParts = 0, maxMethods = 0;
  let consoleEntries = 0, consoleBytes = 0, consoleEntryChars = 0;

  // ---- console: buffered here and drained by the host after each call (no host function is exposed).
  let entries = list();
  let dropped = 0;
  let buffered = 0;
  const joined = (open, parts, close) => {
    let s = open;
    for (let i = 0; i < parts.length; i++) s += (i === 0 ? ' ' : ', ') + parts[i];
    return s + (parts.length > 0 ? ' ' : '') + close;
  };
  // Formats like a browser console, stopping once "room" characters are produced.
  const show = (v, depth, seen, room) => {
    switch (typeof v) {
      case 'string': {
        const s = v.length > room ? apply(stringSlice, v, [0, room]) : v;
        return depth === 0 ? s : jsonStringify(s);
      }
      case 'number': return objectIs(v, -0) ? '-0' : StringCtor(v);
      case 'bigint': return StringCtor(v) + 'n';
      case 'undefined': return 'undefined';
      case 'boolean': return v ? 'true' : 'false';
      case 'symbol': return apply(symbolToString, v, []);
      case 'function': {
        const d = getOwnPropertyDescriptor(v, 'name');
        const name = d !== undefined && apply(hasOwn, d, ['value']) && typeof d.value === 'string' && d.value !== '' ? d.value : '(anonymous)';
        return '[Function ' + name + ']';
      }
    }
    if (v === null) return 'null';
    for (let i = 0; i < seen.length; i++) if (seen[i] === v) return '[Circular]';
    if (depth > 3) return isArray(v) ? '[Array]' : '[Object]';
    if (apply(objectToString, v, []) === '[object Error]') {
      const head = StringCtor(v.name) + ': ' + StringCtor(v.message);
      const stack = v.stack;
      return typeof stack === 'string' && stack !== '' ? head + '\n' + stack : head;
    }
    const inner = list();
    for (let i = 0; i < seen.length; i++) inner[i] = seen[i];
    inner[seen.length] = v;
    const parts = list();
    let used = 0;
    const add = (s) => { if (used < room) { parts[parts.length] = s; used += s.length + 2; } };
    const kind = apply(taTag, v, []);
    if (kind !== undefined) {
      const n = apply(taLength, v, []);
      for (let i = 0; i < n && i < 16; i++) add(StringCtor(v[i]));
      if (n > 16) add('...');
      return joined(kind + '(' + n + ') [', parts, ']');
    }
    const builtin = isArray(v) ? '' : builtinOf(v);
    if (builtin === 'map') {
      apply(mapForEach, v, [(val, key) => { if (used < room) add(show(key, depth + 1, inner, room - used) + ' => ' + show(val, depth + 1, inner, room - used)); }]);
      return joined('Map(' + apply(mapSize, v, []) + ') {', parts, '}');
    }
    if (builtin === 'set') {
      apply(setForEach, v, [(val) => { if (used < room) add(show(val, depth + 1, inner, room - used)); }]);
      return joined('Set(' + apply(setSize, v, []) + ') {', parts, '}');
    }
    if (builtin === 'date') {
      try { return apply(dateToISOString, v, []); } catch (_) { return 'Invalid Date'; }
    }
    if (builtin === 'arraybuffer') return 'ArrayBuffer { byteLength: ' + apply(abByteLength, v, []) + ' }';
    if (isArray(v)) {
      for (let i = 0; i < v.length && used < room; i++) add(show(v[i], depth + 1, inner, room - used));
      return joined('[', parts, ']');
    }
    const keys = objectKeys(v);
    for (let i = 0; i < keys.length && used < room; i++) add(keys[i] + ': ' + show(v[keys[i]], depth + 1, inner, room - used));
    return joined('{', parts, '}');
  };
  const log = (level) => function () {
    if (entries.length >= consoleEntries || buffered >= consoleBytes) { dropped++; return; }
    let text = '';
    for (let i = 0; i < arguments.length && text.length <= consoleEntryChars; i++) {
      if (i > 0) text += ' ';
      try { text += show(arguments[i], 0, list(), consoleEntryChars - text.length + 1); } catch (e) { text += '[unprintable]'; }
    }
    text = clip(text, consoleEntryChars);
    buffered += text.length;
    const entry = record();
    entry.level = level;
    entry.text = text;
    entries[entries.length] = entry;
  };
  const consoleObject = {
    log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'),
  };
  defineProperty(G, 'console', { value: consoleObject, writable: true, enumerable: false, configurable: true });

  // ---- values host -> guest (user-facing objects: ordinary prototypes)
  // The helpers below are mutually recursive closures, i.e. reference cycles that only QuickJS's cycle collector
  // frees. The binary buffers they use are dropped from their scope before returning: host-allocated buffers are
  // invisible to QuickJS's GC trigger, so a cycle holding one would leak a frame per call until memory runs out.
  const decode = (json, inputBuffers) => {
    let buffers = inputBuffers;
    const dec = (v) => {
      if (v === null || typeof v !== 'object') return v;
      if (isArray(v)) {
        for (let i = 0; i < v.length; i++) v[i] = dec(v[i]);
        return v;
      }
      if (!apply(hasOwn, v, ['$t'])) return decObject(v);
      switch (v.$t) {
        case 'u': return undefined;
        case 'n': return v.v === 'NaN' ? NaN : v.v === 'Infinity' ? Infinity : v.v === '-Infinity' ? -Infinity : -0;
        case 'b': return BigIntFn(v.v);
        case 'd': return new DateCtor(v.v === null ? NaN : v.v);
        case 'm': { const m = new MapCtor(); for (let i = 0; i < v.v.length; i++) apply(mapSet, m, [dec(v.v[i][0]), dec(v.v[i][1])]); return m; }
        case 's': { const s = new SetCtor(); for (let i = 0; i < v.v.length; i++) apply(setAdd, s, [dec(v.v[i])]); return s; }
        case 'x': return new ctors[v.k](buffers[v.i], v.o, v.l);
        case 'ab': return buffers[v.i];
        case 'o': return decObject(v.v);
      }
      throw new TypeErrorCtor('unknown value tag');
    };
    const decObject = (o) => {
      const keys = objectKeys(o);
      for (let i = 0; i < keys.length; i++) put(o, keys[i], dec(o[keys[i]]));
      return o;
    };
    try {
      return dec(jsonParse(json));
    } finally {
      buffers = undefined;
    }
  };

  // ---- values guest -> host
  // Constant work per value, counted against maxValues, so a deep, wide or shared (DAG) result costs at most
  // maxValues steps; binary parts leave as byte views that pack() copies into the host's exchange arena.
  const named = (name, message) => { const e = new ErrorCtor(message); put(e, 'name', name); return e; };
  const MAP_KEY = record(), MAP_VALUE = record(), SET_ITEM = record();
  const encode = (value) => {
    let views = list();
    const sizes = list();
    const active = new SetCtor();
    const trail = list();
    let count = 0, bytes = 0;
    const where = () => {
      let p = 'result';
      for (let i = 0; i < trail.length && p.length < 200; i++) {
        const k = trail[i];
        p += typeof k === 'number' ? '[' + k + ']'
          : k === MAP_KEY ? '<key>' : k === MAP_VALUE ? '<value>' : k === SET_ITEM ? '<item>'
          : '.' + (k.length > 40 ? apply(stringSlice, k, [0, 40]) + '...' : k);
      }
      return p;
    };
    const refuse = (what) => { throw new TypeErrorCtor('cannot pass ' + what + ' out of the sandbox (at ' + where() + ')'); };
    const overShape = (what) => { throw named('ResultShapeError', what + ' (at ' + where() + ')'); };
    const spend = (n) => {
      bytes += n;
      if (bytes > maxBytes) throw named('ResultTooLarge', 'it carries more than ' + maxBytes + ' bytes (at ' + where() + ')');
    };
    const tagged = (t) => { const o = record(); o.$t = t; return o; };
    const binary = (kind, buffer, byteOffset, byteLength, length) => {
      if (views.length >= maxParts) overShape('it has more than ' + maxParts + ' typed arrays and ArrayBuffers');
      spend(byteLength + 64);
      const out = tagged(kind === undefined ? 'ab' : 'x');
      if (kind !== undefined) out.k = kind;
      out.i = views.length;
      out.o = 0;
      out.l = length;
      sizes[sizes.length] = byteLength;
      views[views.length] = new U8(buffer, byteOffset, byteLength);
      return out;
    };
    const enc = (v, depth) => {
      if (++count > maxValues) overShape('it has more than ' + maxValues + ' values');
      switch (typeof v) {
        case 'undefined': spend(8); return tagged('u');
        case 'boolean': spend(5); return v;
        case 'string': spend(v.length + 2); return v;
        case 'number': {
          spend(24);
          if (isFinite(v) && !objectIs(v, -0)) return v;
          const n = tagged('n');
          n.v = objectIs(v, -0) ? '-0' : StringCtor(v);
          return n;
        }
        case 'bigint': {
          const b = tagged('b');
          b.v = apply(bigintToString, v, []);
          spend(b.v.length + 16);
          return b;
        }
        case 'object': break;
        default: refuse('a ' + typeof v);
      }
      if (v === null) { spend(4); return null; }
      const kind = apply(taTag, v, []);
      if (kind !== undefined) return binary(kind, apply(taBuffer, v, []), apply(taByteOffset, v, []), apply(taByteLength, v, []), apply(taLength, v, []));
      const builtin = isArray(v) ? '' : builtinOf(v);
      if (builtin === 'arraybuffer') { const n = apply(abByteLength, v, []); return binary(undefined, v, 0, n, n); }
      if (builtin === 'date') {
        spend(32);
        const t = apply(dateGetTime, v, []);
        const d = tagged('d');
        d.v = t === t ? t : null;
        return d;
      }
      if (depth >= maxDepth) overShape('it is nested deeper than ' + maxDepth + ' levels');
      if (apply(setHas, active, [v])) refuse('a cyclic value');
      apply(setAdd, active, [v]);
      let out;
      if (builtin === 'map') {
        const items = list();
        apply(mapForEach, v, [(val, key) => {
          const pair = list();
          trail[trail.length] = MAP_KEY; pair[0] = enc(key, depth + 1); trail.length--;
          trail[trail.length] = MAP_VALUE; pair[1] = enc(val, depth + 1); trail.length--;
          items[items.length] = pair;
        }]);
        out = tagged('m');
        out.v = items;
      } else if (builtin === 'set') {
        const items = list();
        apply(setForEach, v, [(val) => {
          trail[trail.length] = SET_ITEM; items[items.length] = enc(val, depth + 1); trail.length--;
        }]);
        out = tagged('s');
        out.v = items;
      } else if (isArray(v)) {
        out = list();
        spend(2);
        for (let i = 0; i < v.length; i++) {
          trail[trail.length] = i; out[i] = enc(v[i], depth + 1); trail.length--;
        }
      } else {
        out = record();
        spend(2);
        const keys = objectKeys(v);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          spend(key.length + 4);
          trail[trail.length] = key; put(out, key, enc(v[key], depth + 1)); trail.length--;
        }
        if (apply(hasOwn, out, ['$t'])) { const wrapped = tagged('o'); wrapped.v = out; out = wrapped; }
      }
      apply(setDelete, active, [v]);
      return out;
    };
    try {
      const envelope = record();
      envelope.v = enc(value, 0);
      envelope.b = sizes;
      const pair = list();
      pair[0] = jsonStringify(envelope);
      pair[1] = views;
      return pair;
    } finally {
      views = undefined;
    }
  };
  // Copies an encoded result's views into the arena at 8-byte aligned offsets, the layout the host computes
  // from the sizes it read (and checked) out of the JSON.
  const pack = (pair, arena) => {
    const views = pair[1];
    const target = new U8(arena);
    let offset = 0;
    for (let i = 0; i < views.length; i++) {
      const view = views[i];
      const n = apply(taLength, view, []);
      apply(typedArraySet, target, [view, offset]);
      offset += n + ((8 - (n % 8)) % 8);
    }
  };

  // ---- the node instance
  let instance;
  // Public methods along the prototype chain, nearest definition first; stops one past the cap so the host
  // can tell a class that has too many.
  const methodList = (proto) => {
    const names = list();
    const found = new SetCtor();
    for (let p = proto; p !== null && p !== ObjectProto && names.length <= maxMethods; p = getPrototypeOf(p)) {
      const own = getOwnPropertyNames(p);
      for (let i = 0; i < own.length && names.length <= maxMethods; i++) {
        const name = own[i];
        if (name === 'constructor' || apply(setHas, found, [name])) continue;
        apply(setAdd, found, [name]);
        const d = getOwnPropertyDescriptor(p, name);
        if (d !== undefined && apply(hasOwn, d, ['value']) && typeof d.value === 'function') names[names.length] = name;
      }
    }
    return jsonStringify(names);
  };
  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
  const one = (v) => { const out = list(); if (v !== undefined) out[0] = v; return out; };
  // Outputs counted as a local Pipeline counts them: undefined is never one (returned or yielded), an array is one.
  const collect = (r) => {
    if (r === undefined) return list();
    if (isThenable(r)) return apply(promiseThen, promiseResolve(r), [one]);
    if (r !== null && typeof r === 'object' && !isArray(r) && typeof r.next === 'function') {
      if (typeof r[SymbolAsyncIterator] === 'function') {
        return (async () => { const out = list(); for await (const item of r) if (item !== undefined) out[out.length] = item; return out; })();
      }
      if (typeof r[SymbolIterator] === 'function') {
        const out = list();
        for (const item of r) if (item !== undefined) out[out.length] = item;
        return out;
      }
    }
    return one(r);
  };

  const api = record();
  api.configure = (json) => {
    const c = jsonParse(json);
    maxDepth = c.depth; maxValues = c.values; maxBytes = c.bytes; maxParts = c.binaryParts; maxMethods = c.methods;
    consoleEntries = c.consoleEntries; consoleBytes = c.consoleBytes; consoleEntryChars = c.consoleEntryChars;
  };
  api.pack = pack;
  api.setup = (Class, json, buffers, restore) => {
    if (typeof Class !== 'function') throw new TypeErrorCtor('the entry export is not a class (got ' + (Class === null ? 'null' : typeof Class) + ')');
    const value = decode(json, buffers);
    if (restore) {
      instance = objectCreate(Class.prototype);
      if (value !== null && typeof value === 'object') {
        const keys = objectKeys(value);
        for (let i = 0; i < keys.length; i++) put(instance, keys[i], value[keys[i]]);
      }
    } else {
      instance = construct(Class, value);
    }
    return methodList(getPrototypeOf(instance));
  };
  api.invoke = (method, json, buffers, mode) => {
    const args = decode(json, buffers);
    const fn = instance[method];
    if (typeof fn !== 'function') throw new TypeErrorCtor(method + ' is not a function');
    const r = apply(fn, instance, args);
    if (mode === 'process') return collect(r);
    return isThenable(r) ? promiseResolve(r) : r;
  };
  api.encode = encode;
  api.snapshot = () => {
    const out = record();
    const keys = objectKeys(instance);
    for (let i = 0; i < keys.length; i++) put(out, keys[i], instance[keys[i]]);
    return encode(out);
  };
  api.describeError = (e) => {
    let name = 'Error', message = '', stack = '';
    try {
      if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
        const n = e.name;
        name = n === undefined ? 'Error' : StringCtor(n);
        const m = e.message;
        message = m === undefined ? '' : StringCtor(m);
        const s = e.stack;
        stack = typeof s === 'string' ? s : '';
      } else {
        message = StringCtor(e);
      }
    } catch (_) {
      message = message || '[error could not be described]';
    }
    const out = record();
    out.name = clip(name, 256);
    out.message = clip(message, 8192);
    out.stack = clip(stack, 16384);
    return jsonStringify(out);
  };
  api.drainConsole = () => {
    if (entries.length === 0 && dropped === 0) return '';
    const out = record();
    out.e = entries;
    out.d = dropped;
    entries = list();
    dropped = 0;
    buffered = 0;
    return jsonStringify(out);
  };
  return api;
})()`;
