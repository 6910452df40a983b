import { remoteRejection } from '../support/remoteRejection.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import type { VideoFrameData } from '@remotemedia/shared/frames';
import { SandboxPool, type ConsoleEntry } from '@remotemedia/edge-server/sandbox';
import { makePackage, singleModule } from '../fixtures/sandbox/makePackage.ts';

const COUNTER = `export class Counter {
  constructor(start) { this.total = start ?? 0; }
  add(n) { this.total += n; return this.total; }
  fail(msg) {
    throw new TypeError('bad input: ' + msg);
  }
}`;

const GRAYSCALE = `export class Grayscale { process(frame) { const d = frame.data; for (let i = 0; i < d.length; i += 4) { const y = (d[i]*77 + d[i+1]*150 + d[i+2]*29) >> 8; d[i]=d[i+1]=d[i+2]=y; } return frame; } }`;

describe('NodeSandbox', () => {
  let pool: SandboxPool;
  beforeAll(() => {
    pool = new SandboxPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('loads a multi-module package through its import maps and lists the class methods', async () => {
    const pkg = makePackage({
      modules: {
        'index.js': `import { double } from './lib/math.js'; import { Base } from './base.js';
          export default class Doubler extends Base { run(x) { return double(x) + this.offset(); } }`,
        'lib/math.js': `export const double = (x) => x * 2;`,
        'base.js': `export class Base { offset() { return 1; } }`,
      },
      imports: { 'index.js': { './lib/math.js': 'lib/math.js', './base.js': 'base.js' } },
    });
    const sandbox = await pool.create({ pkg, nodeName: 'Doubler' });
    expect([...sandbox.methods].sort()).toEqual(['offset', 'run']);
    expect(await sandbox.call('run', [20])).toBe(41);
  });

  it('keeps instance state across calls and exposes it as a snapshot', async () => {
    const sandbox = await pool.create({ pkg: singleModule(COUNTER, 'Counter'), ctorArgs: [0] });
    expect(sandbox.nodeName).toBe('Counter');
    await sandbox.call('add', [5]);
    expect(await sandbox.call('add', [3])).toBe(8);
    expect(await sandbox.snapshot()).toEqual({ total: 8 });
  });

  it('restores an instance from a snapshot without calling the constructor', async () => {
    const source = `export default class Tracker {
      constructor() { throw new Error('constructor must not run on restore'); }
      seen(x) { this.items.add(x); this.last = new Date(0); return [...this.items]; }
    }`;
    const sandbox = await pool.create({ pkg: singleModule(source), state: { items: new Set(['a']), big: 12n } });
    expect(await sandbox.call('seen', ['b'])).toEqual(['a', 'b']);
    const snap = (await sandbox.snapshot()) as { items: Set<string>; big: bigint; last: Date };
    expect(snap.items).toEqual(new Set(['a', 'b']));
    expect(snap.big).toBe(12n);
    expect(snap.last).toEqual(new Date(0));
  });

  it('carries Map, Set, Date, BigInt, undefined, typed arrays and odd keys both ways', async () => {
    const sandbox = await pool.create({
      pkg: singleModule(
        `export default class Echo { echo(v) { return v; } kinds(v) { return Object.keys(v).map((k) => k + ':' + Object.prototype.toString.call(v[k])); } }`,
      ),
    });
    const value = {
      map: new Map<unknown, unknown>([
        ['k', { nested: [1, 2n] }],
        [3, new Date(5)],
      ]),
      set: new Set([1, 'two']),
      when: new Date(1_700_000_000_000),
      big: -(2n ** 70n),
      nothing: undefined,
      nan: Number.NaN,
      negZero: -0,
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float32Array([0.5, -1.25]),
      $t: 'not a tag',
      ['__proto__']: { evil: true },
    };
    Object.defineProperty(value, '__proto__', { value: { evil: true }, enumerable: true });
    const back = (await sandbox.call('echo', [value])) as Record<string, unknown>;
    expect(back.map).toEqual(value.map);
    expect(back.set).toEqual(value.set);
    expect(back.when).toEqual(value.when);
    expect(back.big).toBe(value.big);
    expect('nothing' in back && back.nothing === undefined).toBe(true);
    expect(back.nan).toBeNaN();
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.bytes).toEqual(new Uint8Array([1, 2, 255]));
    expect(back.floats).toBeInstanceOf(Float32Array);
    expect(back.floats).toEqual(new Float32Array([0.5, -1.25]));
    expect(back.$t).toBe('not a tag');
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ evil: true });
    expect(await sandbox.call('kinds', [{ m: new Map(), s: new Set(), d: new Date(), b: new Uint8Array(1), f: new Float32Array(1) }])).toEqual([
      'm:[object Map]',
      's:[object Set]',
      'd:[object Date]',
      'b:[object Uint8Array]',
      'f:[object Float32Array]',
    ]);
  });

  it('runs a grayscale node on a 320x240 RGBA frame and returns a frame with R=G=B', async () => {
    const sandbox = await pool.create({ pkg: singleModule(GRAYSCALE, 'Grayscale') });
    const data = new Uint8Array(320 * 240 * 4);
    for (let i = 0; i < data.length; i += 4) {
      data[i] = i % 256;
      data[i + 1] = (i >> 8) % 256;
      data[i + 2] = 200;
      data[i + 3] = 255;
    }
    const frame: VideoFrameData = { kind: 'video', width: 320, height: 240, format: 'rgba', timestamp: 42, data };
    const [out] = (await sandbox.process(frame)) as [VideoFrameData];
    expect(out).toMatchObject({ kind: 'video', width: 320, height: 240, format: 'rgba', timestamp: 42 });
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(out.data.length).toBe(data.length);
    for (let i = 0; i < out.data.length; i += 4) {
      const y = (data[i]! * 77 + data[i + 1]! * 150 + data[i + 2]! * 29) >> 8;
      if (out.data[i] !== y || out.data[i + 1] !== y || out.data[i + 2] !== y || out.data[i + 3] !== 255) {
        throw new Error(`pixel ${i / 4} is not gray`);
      }
    }
  });

  it('frees each frame after the call (200 frames of 300 KB through a 32 MiB sandbox)', async () => {
    const sandbox = await pool.create({ pkg: singleModule(`export default class Echo { process(f) { return f; } }`) });
    const frame = { kind: 'video', width: 320, height: 240, format: 'rgba', timestamp: 0, data: new Uint8Array(320 * 240 * 4).fill(9) };
    for (let i = 0; i < 200; i++) {
      const [out] = (await sandbox.process(frame)) as [VideoFrameData];
      if (out.data[1000] !== 9) throw new Error(`frame ${i} came back wrong`);
    }
    expect(await sandbox.memoryUsage()).toBeLessThan(4 * 1024 * 1024);
  });

  it('normalizes process() results: value, undefined, promise, generator and async generator', async () => {
    const source = `export default class Shapes {
      constructor(mode) { this.mode = mode; }
      process(x) {
        switch (this.mode) {
          case 'value': return x + 1;
          case 'none': return undefined;
          case 'promise': return Promise.resolve(x * 10);
          case 'array': return [x, x];
          case 'generator': return (function* () { yield x; yield x + 1; yield x + 2; })();
          case 'async': return (async function* () { for (let i = 0; i < 3; i++) { await null; yield x * i; } })();
        }
      }
    }`;
    const run = async (mode: string) => (await pool.create({ pkg: singleModule(source), ctorArgs: [mode] })).process(2);
    expect(await run('value')).toEqual([3]);
    expect(await run('none')).toEqual([]);
    expect(await run('promise')).toEqual([20]);
    expect(await run('array')).toEqual([[2, 2]]);
    expect(await run('generator')).toEqual([2, 3, 4]);
    expect(await run('async')).toEqual([0, 2, 4]);
  });

  it('awaits async methods inside the guest', async () => {
    const sandbox = await pool.create({
      pkg: singleModule(`export default class A { async twice(x) { await null; await Promise.resolve(); return x * 2; } }`),
    });
    expect(await sandbox.call('twice', [21])).toBe(42);
  });

  it('reports a user error with its name, message, module stack, node and method, and stays usable', async () => {
    const sandbox = await pool.create({ pkg: singleModule(COUNTER, 'Counter', 'nodes/counter.js'), ctorArgs: [1] });
    const error = await remoteRejection(sandbox.call('fail', ['x']), ErrorCode.UserError);
    expect(error.remoteName).toBe('TypeError');
    expect(error.remoteMessage).toBe('bad input: x');
    expect(error.message).toBe('bad input: x (in Counter.fail)');
    expect(error.remoteStack).toContain('nodes/counter.js:5');
    expect(error.nodeName).toBe('Counter');
    expect(error.method).toBe('fail');
    expect(await sandbox.call('add', [2])).toBe(3);
  });

  it('reports a rejected promise from an async method as a user error', async () => {
    const sandbox = await pool.create({
      pkg: singleModule(`export default class A { async go() { await null; throw new RangeError('too far'); } }`),
    });
    const error = await remoteRejection(sandbox.call('go', []), ErrorCode.UserError);
    expect(error.remoteName).toBe('RangeError');
    expect(error.remoteMessage).toBe('too far');
  });

  it('refuses an unknown method without touching the guest', async () => {
    const sandbox = await pool.create({ pkg: singleModule(COUNTER, 'Counter') });
    const error = await remoteRejection(sandbox.call('explode', []), ErrorCode.UnknownMethod);
    expect(error.message).toContain('has no method "explode"');
    await remoteRejection(sandbox.process(1), ErrorCode.UnknownMethod);
  });

  it('fails with ModuleNotFound naming the specifier and the importer', async () => {
    const fsPkg = makePackage({ modules: { 'index.js': `import fs from 'fs'; export default class A {}` } });
    const fsError = await remoteRejection(pool.create({ pkg: fsPkg }), ErrorCode.ModuleNotFound);
    expect(fsError.remoteMessage).toContain("'fs'");
    expect(fsError.remoteMessage).toContain('index.js');

    const relPkg = makePackage({
      modules: { 'index.js': `import './a.js'; export default class A {}`, 'a.js': `import { x } from './missing.js';` },
      imports: { 'index.js': { './a.js': 'a.js' } },
    });
    const relError = await remoteRejection(pool.create({ pkg: relPkg }), ErrorCode.ModuleNotFound);
    expect(relError.remoteMessage).toContain("Cannot find module './missing.js' imported from a.js");
  });

  it('fails with CompileError for a syntax error, pointing at the module', async () => {
    const error = await remoteRejection(
      pool.create({ pkg: singleModule(`export default class {\n  oops( {\n}`, 'default', 'broken.js') }),
      ErrorCode.CompileError,
    );
    expect(error.remoteName).toBe('SyntaxError');
    expect(error.remoteStack).toContain('broken.js');
  });

  it('refuses an entry export that is not a class', async () => {
    const error = await pool.create({ pkg: singleModule(`export const Nope = 5;`, 'Nope') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteMediaError);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.InvalidManifest);
    expect((error as RemoteMediaError).message).toContain('does not export a class named "Nope"');
  });

  it('refuses a package whose sources do not match the manifest hashes', async () => {
    const pkg = singleModule(COUNTER, 'Counter');
    const tampered = { ...pkg, sources: { 'node.js': COUNTER + '\n// changed' } };
    const error = await pool.create({ pkg: tampered }).catch((e: unknown) => e);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.PackageIntegrity);
  });

  it('delivers console output with browser-like formatting', async () => {
    const entries: ConsoleEntry[] = [];
    const sandbox = await pool.create({
      pkg: singleModule(`export default class Loud { go() {
        console.log('hello', 1, { a: [1, 'x'] }); console.info('info'); console.warn('careful', null);
        console.error(new Error('bad')); console.debug(new Map([[1, 2]]), new Uint8Array([7, 8]), 5n, undefined);
        return 1; } }`),
      onConsole: (entry) => entries.push(entry),
    });
    await sandbox.call('go', []);
    expect(entries.map((e) => e.level)).toEqual(['log', 'info', 'warn', 'error', 'debug']);
    expect(entries[0]!.text).toBe(`hello 1 { a: [ 1, "x" ] }`);
    expect(entries[2]!.text).toBe('careful null');
    expect(entries[3]!.text).toMatch(/^Error: bad\n\s+at go \(node\.js:3/);
    expect(entries[4]!.text).toBe('Map(1) { 1 => 2 } Uint8Array(2) [ 7, 8 ] 5n undefined');
  });

  it('gives hostile code nothing from the host', async () => {
    const sandbox = await pool.create({
      pkg: singleModule(`export default class Probe {
        globals() { return [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof WebAssembly]; }
        escape() { return globalThis.constructor.constructor('return process')().env; }
        pollute() { Object.prototype.polluted = 'yes'; Array.prototype.evil = 1; return { plain: true, list: [1] }; }
        detach(x) { return typeof x.buffer.transfer; }
        async dynamicImport() { return import('fs'); }
      }`),
    });
    expect(await sandbox.call('globals', [])).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    const escape = await remoteRejection(sandbox.call('escape', []), ErrorCode.UserError);
    expect(escape.remoteName).toBe('ReferenceError');
    expect(escape.remoteMessage).toBe("'process' is not defined");
    const result = (await sandbox.call('pollute', [])) as Record<string, unknown>;
    expect(result).toEqual({ plain: true, list: [1] });
    expect(Object.keys(result)).toEqual(['plain', 'list']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    expect(await sandbox.call('detach', [new Uint8Array(4)])).toBe('undefined');
    const imported = await remoteRejection(sandbox.call('dynamicImport', []), ErrorCode.UserError);
    expect(imported.remoteMessage).toContain("Cannot find module 'fs'");
  });

  it('reports memory usage and is unusable after dispose', async () => {
    const sandbox = await pool.create({ pkg: singleModule(COUNTER, 'Counter') });
    const used = await sandbox.memoryUsage();
    expect(used).toBeGreaterThan(10_000);
    expect(used).toBeLessThan(32 * 1024 * 1024);
    await sandbox.dispose();
    await sandbox.dispose();
    expect(sandbox.disposed).toBe(true);
    const error = await sandbox.call('add', [1]).catch((e: unknown) => e);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.Disposed);
  });

  it('rejects arguments that cannot cross the membrane', async () => {
    const sandbox = await pool.create({ pkg: singleModule(COUNTER, 'Counter') });
    const error = await remoteRejection(sandbox.call('add', [() => 1]), ErrorCode.InvalidInput);
    expect(error.remoteMessage).toContain('cannot pass these arguments into the sandbox');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cycle = await remoteRejection(sandbox.call('add', [cyclic]), ErrorCode.InvalidInput);
    expect(cycle.remoteMessage).toBe('cannot pass a cyclic value into the sandbox (at value[0].self)');
    expect(await sandbox.call('add', [1])).toBe(1);
  });
});
