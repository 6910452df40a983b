/**
 * Source of the script evaluated in every sandbox before any user module. It runs as trusted code inside the
 * guest: it captures the intrinsics it needs before user code can patch them, installs `console`, hardens a few
 * globals, and returns (as the script's completion value, never as a global) the functions the host drives:
 * setup, invoke, encode, pack, snapshot, describeError, drainConsole. Its value format is the one documented
 * in marshal.ts. A guest can subvert this code only to its own harm: the host validates everything it reads.
 */
export const GUEST_PRELUDE_SOURCE = String.raw`(function () {
  'use strict';
  const G = globalThis;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
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
  const isFinite = Number.isFinite;
  const objectIs = Object.is;
  const SymbolIterator = Symbol.iterator;
  const SymbolAsyncIterator = Symbol.asyncIterator;
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const typedArraySet = TypedArrayProto.set;
  const taTag = getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
  const taBuffer = getOwnPropertyDescriptor(TypedArrayProto, 'buffer').get;
  const taByteOffset = getOwnPropertyDescriptor(TypedArrayProto, 'byteOffset').get;
  const taLength = getOwnPropertyDescriptor(TypedArrayProto, 'length').get;
  const abByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size').get;
  const mapForEach = Map.prototype.forEach;
  const mapSet = Map.prototype.set;
  const setSize = getOwnPropertyDescriptor(Set.prototype, 'size').get;
  const setForEach = Set.prototype.forEach;
  const setAdd = Set.prototype.add;
  const dateGetTime = Date.prototype.getTime;
  const bigintToString = BigInt.prototype.toString;
  const MapCtor = Map, SetCtor = Set, DateCtor = Date, BigIntFn = BigInt;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolve = (v) => apply(Promise.resolve, PromiseCtor, [v]);
  const ctors = {
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  };

  // The host writes frame bytes straight into guest ArrayBuffers: nothing in the guest may detach one.
  delete ArrayBuffer.prototype.transfer;
  delete ArrayBuffer.prototype.transferToFixedLength;

  const brand = (getter, v) => { try { apply(getter, v, []); return true; } catch (_) { return false; } };
  const push = (arr, v) => { defineProperty(arr, arr.length, { value: v, writable: true, enumerable: true, configurable: true }); };
  const field = (obj, k, v) => { defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true }); };

  // ---- console: buffered here and drained by the host after each call (no host function is exposed).
  const MAX_ENTRIES = 1000, MAX_TEXT = 8192;
  let entries = [];
  let dropped = 0;
  const show = (v, depth, seen) => {
    switch (typeof v) {
      case 'string': return depth === 0 ? v : jsonStringify(v);
      case 'number': return objectIs(v, -0) ? '-0' : StringCtor(v);
      case 'bigint': return StringCtor(v) + 'n';
      case 'undefined': return 'undefined';
      case 'boolean': return StringCtor(v);
      case 'symbol': return apply(Symbol.prototype.toString, v, []);
      case 'function': return '[Function ' + (v.name || '(anonymous)') + ']';
    }
    if (v === null) return 'null';
    if (seen.indexOf(v) >= 0) return '[Circular]';
    if (depth > 3) return isArray(v) ? '[Array]' : '[Object]';
    const tag = apply(objectToString, v, []);
    if (tag === '[object Error]') return v.stack ? v.name + ': ' + v.message + '\n' + v.stack : v.name + ': ' + v.message;
    const inner = seen.concat([v]);
    if (apply(taTag, v, []) !== undefined) {
      const n = apply(taLength, v, []);
      const shown = [];
      for (let i = 0; i < n && i < 16; i++) shown[i] = StringCtor(v[i]);
      return apply(taTag, v, []) + '(' + n + ') [ ' + shown.join(', ') + (n > 16 ? ', ...' : '') + ' ]';
    }
    if (brand(mapSize, v)) {
      const parts = [];
      apply(mapForEach, v, [(val, key) => { parts[parts.length] = show(key, depth + 1, inner) + ' => ' + show(val, depth + 1, inner); }]);
      return 'Map(' + parts.length + ') { ' + parts.join(', ') + ' }';
    }
    if (brand(setSize, v)) {
      const parts = [];
      apply(setForEach, v, [(val) => { parts[parts.length] = show(val, depth + 1, inner); }]);
      return 'Set(' + parts.length + ') { ' + parts.join(', ') + ' }';
    }
    if (brand(dateGetTime, v)) return apply(Date.prototype.toISOString, v, []);
    if (isArray(v)) {
      const parts = [];
      for (let i = 0; i < v.length; i++) parts[i] = show(v[i], depth + 1, inner);
      return '[ ' + parts.join(', ') + ' ]';
    }
    const keys = objectKeys(v);
    const parts = [];
    for (let i = 0; i < keys.length; i++) parts[i] = keys[i] + ': ' + show(v[keys[i]], depth + 1, inner);
    return '{ ' + parts.join(', ') + ' }';
  };
  const log = (level) => function () {
    if (entries.length >= MAX_ENTRIES) { dropped++; return; }
    const parts = [];
    for (let i = 0; i < arguments.length; i++) {
      try { parts[i] = show(arguments[i], 0, []); } catch (e) { parts[i] = '[unprintable]'; }
    }
    let text = parts.join(' ');
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT) + '... (truncated)';
    entries[entries.length] = { level: level, text: text };
  };
  const consoleObject = {
    log: log('log'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug'),
  };
  defineProperty(G, 'console', { value: consoleObject, writable: true, enumerable: false, configurable: true });

  // ---- values host -> guest
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
      throw new TypeError('unknown value tag');
    };
    const decObject = (o) => {
      const keys = objectKeys(o);
      for (let i = 0; i < keys.length; i++) field(o, keys[i], dec(o[keys[i]]));
      return o;
    };
    try {
      return dec(jsonParse(json));
    } finally {
      buffers = undefined;
    }
  };

  // ---- values guest -> host
  // Binary parts leave as byte views; pack() later copies them into the host's exchange arena.
  const encode = (value) => {
    let views = [];
    const sizes = [];
    const ancestors = [];
    const viewRef = (buffer, offset, length) => {
      const i = views.length;
      views[i] = new Uint8Array(buffer, offset, length);
      sizes[i] = length;
      return i;
    };
    const fail = (what, path) => { throw new TypeError('cannot pass ' + what + ' out of the sandbox (at ' + path + ')'); };
    const enc = (v, path) => {
      switch (typeof v) {
        case 'undefined': return { $t: 'u' };
        case 'boolean': case 'string': return v;
        case 'number': return isFinite(v) && !objectIs(v, -0) ? v : { $t: 'n', v: objectIs(v, -0) ? '-0' : StringCtor(v) };
        case 'bigint': return { $t: 'b', v: apply(bigintToString, v, []) };
        case 'object': break;
        default: fail('a ' + typeof v, path);
      }
      if (v === null) return null;
      const kind = apply(taTag, v, []);
      if (kind !== undefined) {
        const length = apply(taLength, v, []);
        const byteLength = length * ctors[kind].BYTES_PER_ELEMENT;
        return { $t: 'x', k: kind, i: viewRef(apply(taBuffer, v, []), apply(taByteOffset, v, []), byteLength), o: 0, l: length };
      }
      if (brand(abByteLength, v)) { const n = apply(abByteLength, v, []); return { $t: 'ab', i: viewRef(v, 0, n), o: 0, l: n }; }
      if (brand(dateGetTime, v)) { const t = apply(dateGetTime, v, []); return { $t: 'd', v: t === t ? t : null }; }
      if (ancestors.indexOf(v) >= 0) fail('a cyclic value', path);
      ancestors[ancestors.length] = v;
      let out;
      if (brand(mapSize, v)) {
        const items = [];
        apply(mapForEach, v, [(val, key) => { push(items, [enc(key, path + '<key>'), enc(val, path + '<value>')]); }]);
        out = { $t: 'm', v: items };
      } else if (brand(setSize, v)) {
        const items = [];
        apply(setForEach, v, [(val) => { push(items, enc(val, path + '<item>')); }]);
        out = { $t: 's', v: items };
      } else if (isArray(v)) {
        out = [];
        for (let i = 0; i < v.length; i++) push(out, enc(v[i], path + '[' + i + ']'));
      } else {
        out = objectCreate(null);
        const keys = objectKeys(v);
        for (let i = 0; i < keys.length; i++) field(out, keys[i], enc(v[keys[i]], path + '.' + keys[i]));
        if (apply(hasOwn, out, ['$t'])) out = { $t: 'o', v: out };
      }
      ancestors.length--;
      return out;
    };
    try {
      const json = jsonStringify({ v: enc(value, 'result'), b: sizes });
      return [json, views];
    } finally {
      views = undefined;
    }
  };
  // Copies encoded views into the arena at 8-byte aligned offsets, the layout the host computes from the sizes.
  const pack = (views, arena) => {
    const target = new Uint8Array(arena);
    let offset = 0;
    for (let i = 0; i < views.length; i++) {
      apply(typedArraySet, target, [views[i], offset]);
      offset += (views[i].length + 7) & ~7;
    }
  };

  // ---- the node instance
  let instance;
  const methodNames = (proto) => {
    const names = [];
    for (let p = proto; p !== null && p !== ObjectProto; p = getPrototypeOf(p)) {
      const own = getOwnPropertyNames(p);
      for (let i = 0; i < own.length; i++) {
        const name = own[i];
        if (name === 'constructor' || names.indexOf(name) >= 0) continue;
        const d = getOwnPropertyDescriptor(p, name);
        if (d && typeof d.value === 'function') names[names.length] = name;
      }
    }
    return names;
  };
  const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';
  const collect = (r) => {
    if (r === undefined) return [];
    if (isThenable(r)) return apply(promiseThen, promiseResolve(r), [(v) => (v === undefined ? [] : [v])]);
    if (r !== null && typeof r === 'object' && !isArray(r) && typeof r.next === 'function') {
      if (typeof r[SymbolAsyncIterator] === 'function') {
        return (async () => { const out = []; for await (const item of r) out[out.length] = item; return out; })();
      }
      if (typeof r[SymbolIterator] === 'function') {
        const out = [];
        for (const item of r) out[out.length] = item;
        return out;
      }
    }
    return [r];
  };

  return {
    pack: pack,
    setup(Class, json, buffers, restore) {
      if (typeof Class !== 'function') throw new TypeError('the entry export is not a class (got ' + (Class === null ? 'null' : typeof Class) + ')');
      const value = decode(json, buffers);
      if (restore) {
        instance = objectCreate(Class.prototype);
        if (value !== null && typeof value === 'object') {
          const keys = objectKeys(value);
          for (let i = 0; i < keys.length; i++) field(instance, keys[i], value[keys[i]]);
        }
      } else {
        instance = new Class(...value);
      }
      return jsonStringify(methodNames(getPrototypeOf(instance)));
    },
    invoke(method, json, buffers, mode) {
      const args = decode(json, buffers);
      const fn = instance[method];
      if (typeof fn !== 'function') throw new TypeError(method + ' is not a function');
      const r = apply(fn, instance, args);
      if (mode === 'process') return collect(r);
      return isThenable(r) ? promiseResolve(r) : r;
    },
    encode: encode,
    snapshot() {
      const out = objectCreate(null);
      const keys = objectKeys(instance);
      for (let i = 0; i < keys.length; i++) field(out, keys[i], instance[keys[i]]);
      return encode(out);
    },
    describeError(e) {
      let name = 'Error', message = '', stack = '';
      try {
        if (e !== null && typeof e === 'object') {
          name = StringCtor(e.name === undefined ? 'Error' : e.name);
          message = StringCtor(e.message === undefined ? '' : e.message);
          stack = typeof e.stack === 'string' ? e.stack : '';
        } else {
          message = StringCtor(e);
        }
      } catch (_) {
        message = message || '[error could not be described]';
      }
      return jsonStringify({ name: name, message: message, stack: stack });
    },
    drainConsole() {
      if (entries.length === 0 && dropped === 0) return '';
      const out = entries;
      if (dropped > 0) out[out.length] = { level: 'warn', text: dropped + ' console messages dropped (more than ' + MAX_ENTRIES + ' in one call)' };
      entries = [];
      dropped = 0;
      return jsonStringify(out);
    },
  };
})()`;
