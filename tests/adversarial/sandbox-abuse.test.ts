import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import type { NodePackage } from '@remotemedia/shared/protocol';
import { validatePackageShape } from '@remotemedia/shared/package';
import { SandboxPool, type ConsoleEntry, type NodeSandbox, type CreateSandboxOptions } from '@remotemedia/edge-server/sandbox';
import { makePackage, singleModule } from '../fixtures/sandbox/makePackage.ts';

/**
 * Hostile bodies and packages against a real SandboxPool (real QuickJS, real worker threads), each with the exact
 * outcome it must get: the error code and a fragment of its message, and whether the attacked instance is still
 * usable or discarded afterwards. Between cases a bystander sandbox on every worker must keep answering, and no
 * case may cost a worker (nothing here should need the watchdog: every attack is one QuickJS can interrupt).
 */
type Area = 'time' | 'memory' | 'stack' | 'result' | 'console' | 'module' | 'state' | 'escape';

interface Failure {
  code: ErrorCode;
  message: string | RegExp;
  /** What the attacked instance does next: answers, or is refused with SANDBOX_DISCARDED. */
  then: 'usable' | 'discarded';
}

interface Case {
  area: Area;
  name: string;
  /** Body of `attack(...args)` in a class that also has `ping()`; or a whole package for module cases. */
  body?: string;
  /** Module-level code before the class. */
  prelude?: string;
  pkg?: NodePackage;
  create?: Partial<CreateSandboxOptions>;
  args?: unknown[];
  /** 'create' when the package itself is the attack; 'process' and 'snapshot' use those entry points. */
  stage?: 'create' | 'call' | 'process' | 'snapshot';
  expect: Failure | { value: unknown };
  /** Assertions on the console entries the attack produced. */
  console?: (entries: ConsoleEntry[]) => void;
}

const MiB = 1024 * 1024;
const classWith = (body: string, prelude = ''): string =>
  `${prelude}\nexport default class Attack { ping() { return 'pong'; } attack(...args) { ${body} } process(item) { return this.attack(item); } }`;

const dropNote = /^(\d+) console messages dropped \(more than 100 messages or 64 KiB in one call\)$/;

const CASES: Case[] = [
  // ---- time: every way to keep the guest busy ends at the deadline, as SANDBOX_TIMEOUT
  {
    area: 'time',
    name: 'an infinite loop',
    body: 'for (;;) {}',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a loop inside a promise job',
    body: 'return Promise.resolve().then(() => { for (;;) {} });',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'an endless await loop',
    body: 'return (async () => { for (;;) await null; })();',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a catastrophic regular expression',
    body: "return /(a+)+$/.test('a'.repeat(40) + 'b');",
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a looping sort comparator',
    body: 'return [3, 2, 1].sort(() => { for (;;) {} });',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a promise that never settles',
    body: 'return new Promise(() => {});',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack returned a promise that never settles', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'an error whose message getter loops',
    body: 'throw { get message() { for (;;) {} } };',
    expect: {
      code: ErrorCode.SandboxTimeout,
      message: 'attack threw an error whose name, message or stack could not be read within 100 ms',
      then: 'discarded',
    },
  },
  {
    area: 'time',
    name: 'a result getter that loops while it is encoded',
    body: 'return { get x() { for (;;) {} } };',
    expect: { code: ErrorCode.SandboxTimeout, message: 'attack did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a constructor that loops',
    pkg: singleModule('export default class Attack { constructor() { for (;;) {} } }'),
    stage: 'create',
    expect: { code: ErrorCode.SandboxTimeout, message: 'constructor did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'time',
    name: 'a module body that loops',
    pkg: singleModule('for (;;) {}\nexport default class Attack {}'),
    stage: 'create',
    expect: { code: ErrorCode.SandboxTimeout, message: '<load> did not finish within 300 ms', then: 'discarded' },
  },

  // ---- memory: the fixed WASM memory ends every bomb as SANDBOX_OUT_OF_MEMORY, or the result bound refuses it
  {
    area: 'memory',
    name: 'a typed array bomb',
    body: 'const keep = []; for (;;) keep.push(new Uint8Array(1 << 20));',
    create: { limits: { callTimeoutMs: 5000 } },
    expect: { code: ErrorCode.SandboxOutOfMemory, message: `attack ran out of memory (sandbox limit ${32 * MiB} bytes)`, then: 'discarded' },
  },
  {
    area: 'memory',
    name: 'ever larger strings',
    body: "const keep = []; for (let n = 1024; ; n *= 2) keep.push('y'.repeat(n));",
    create: { limits: { callTimeoutMs: 5000 } },
    expect: { code: ErrorCode.SandboxOutOfMemory, message: 'attack ran out of memory', then: 'discarded' },
  },
  // QuickJS concatenates lazily (ropes): doubling reaches its 2^30-character limit before using the memory.
  {
    area: 'memory',
    name: 'a self-doubling string',
    body: "let s = 'x'; for (;;) s += s;",
    expect: { code: ErrorCode.UserError, message: 'string too long', then: 'usable' },
  },
  {
    area: 'memory',
    name: 'an object graph bomb',
    body: 'const keep = []; for (let i = 0; ; i++) keep.push({ i, next: [i, i] });',
    create: { limits: { callTimeoutMs: 5000 } },
    expect: { code: ErrorCode.SandboxOutOfMemory, message: 'attack ran out of memory', then: 'discarded' },
  },
  {
    area: 'memory',
    name: 'one ArrayBuffer larger than the sandbox',
    body: 'return new ArrayBuffer(64 * 1024 * 1024);',
    expect: { code: ErrorCode.SandboxOutOfMemory, message: 'attack ran out of memory', then: 'discarded' },
  },
  {
    area: 'memory',
    name: 'a result that repeats one 4 MiB buffer past maxResultBytes',
    body: 'const b = new Uint8Array(4 << 20); return [b, b, b];',
    create: { limits: { maxResultBytes: 8 * MiB } },
    expect: {
      code: ErrorCode.MessageTooLarge,
      message: `attack returned a result the edge refuses: it carries more than ${8 * MiB} bytes (at result[1])`,
      then: 'usable',
    },
  },
  {
    area: 'memory',
    name: 'a string result past maxResultBytes',
    body: "return 'x'.repeat(5 << 20);",
    create: { limits: { maxResultBytes: 4 * MiB } },
    expect: { code: ErrorCode.MessageTooLarge, message: `it carries more than ${4 * MiB} bytes (at result)`, then: 'usable' },
  },

  // ---- stack: QuickJS's interpreter, parser and JSON.parse all report SANDBOX_STACK_OVERFLOW
  {
    area: 'stack',
    name: 'unbounded recursion',
    body: 'const f = (n) => f(n + 1) + 1; return f(0);',
    expect: { code: ErrorCode.SandboxStackOverflow, message: 'attack overflowed the stack (sandbox limit 524288 bytes)', then: 'discarded' },
  },
  {
    area: 'stack',
    name: 'deeply nested JSON.parse',
    body: "return JSON.parse('['.repeat(100000) + ']'.repeat(100000));",
    expect: { code: ErrorCode.SandboxStackOverflow, message: 'while parsing deeply nested code or JSON', then: 'discarded' },
  },
  {
    area: 'stack',
    name: 'deeply nested code through Function',
    body: "return Function('return ' + '('.repeat(100000) + '1' + ')'.repeat(100000))();",
    expect: { code: ErrorCode.SandboxStackOverflow, message: 'while parsing deeply nested code or JSON', then: 'discarded' },
  },
  {
    area: 'stack',
    name: 'recursion in a getter while the result is encoded',
    body: 'const o = { get x() { return o.x; } }; return o;',
    expect: { code: ErrorCode.SandboxStackOverflow, message: 'attack overflowed the stack', then: 'discarded' },
  },
  {
    area: 'stack',
    name: 'recursion in a module body',
    pkg: singleModule('const f = () => f();\nf();\nexport default class Attack {}'),
    stage: 'create',
    expect: { code: ErrorCode.SandboxStackOverflow, message: '<load> overflowed the stack', then: 'discarded' },
  },

  // ---- result shape: bounded, linear, and refused with the path of the problem
  {
    area: 'result',
    name: 'a result nested 20,000 deep',
    body: 'let a = []; for (let i = 0; i < 20000; i++) a = [a]; return a;',
    expect: { code: ErrorCode.InvalidOutput, message: 'it is nested deeper than 48 levels (at result[0][0]', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a shared DAG of 2^28 paths',
    body: 'let a = [1]; for (let i = 0; i < 28; i++) a = [a, a]; return a;',
    create: { limits: { callTimeoutMs: 3000 } },
    expect: { code: ErrorCode.InvalidOutput, message: 'it has more than 200000 values', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a proxy claiming 2^32 - 1 elements',
    body: "return new Proxy([], { get(t, k) { return k === 'length' ? 2 ** 32 - 1 : 0; } });",
    create: { limits: { callTimeoutMs: 3000 } },
    expect: { code: ErrorCode.InvalidOutput, message: 'it has more than 200000 values (at result[199999])', then: 'usable' },
  },
  {
    area: 'result',
    name: '2,000 typed arrays',
    body: 'return Array.from({ length: 2000 }, () => new Uint8Array(1));',
    expect: { code: ErrorCode.InvalidOutput, message: 'it has more than 1024 typed arrays and ArrayBuffers (at result[1024])', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a cyclic result',
    body: 'const o = { a: 1 }; o.self = o; return o;',
    expect: { code: ErrorCode.UserError, message: 'cannot pass a cyclic value out of the sandbox (at result.self)', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a function in the result',
    body: 'return { nested: [{ f() {} }] };',
    expect: { code: ErrorCode.UserError, message: 'cannot pass a function out of the sandbox (at result.nested[0].f)', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a symbol in the result',
    body: "return new Map([['k', Symbol('s')]]);",
    expect: { code: ErrorCode.UserError, message: 'cannot pass a symbol out of the sandbox (at result<value>)', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a video frame that lies about its size',
    stage: 'process',
    body: "return { kind: 'video', width: 65536, height: 65536, format: 'rgba', timestamp: 0, data: new Uint8Array(16) };",
    expect: { code: ErrorCode.InvalidOutput, message: 'output[0].data must be 17179869184 bytes for a 65536x65536 rgba frame', then: 'usable' },
  },
  {
    area: 'result',
    name: 'audio samples that do not divide into channels',
    stage: 'process',
    body: "return { kind: 'audio', sampleRate: 48000, channels: 3, timestamp: 0, samples: new Float32Array(10) };",
    expect: { code: ErrorCode.InvalidOutput, message: 'output[0].samples must be a whole number of 3-channel sample frames', then: 'usable' },
  },
  {
    area: 'result',
    name: 'a forged result swapped in by a toJSON hook (issue 15 reproducer)',
    body: "const refs = []; for (let i = 0; i < 24; i++) refs.push({ $t: 'x', k: 'Uint8Array', i: 0, o: 0, l: 32 << 20 }); Object.prototype.toJSON = function () { delete Object.prototype.toJSON; return { v: refs, b: [2 ** 31] }; }; return 'honest';",
    expect: { value: 'honest' },
  },

  // ---- console: count and bytes per call are capped on the host
  {
    area: 'console',
    name: '10,000 console messages in one call',
    body: "for (let i = 0; i < 10000; i++) console.log('line', i); return 'done';",
    expect: { value: 'done' },
    console: (entries) => {
      expect(entries).toHaveLength(101);
      expect(entries[100]!.text).toMatch(dropNote);
    },
  },
  {
    area: 'console',
    name: 'an Array.prototype.toJSON hook that inflates the console drain',
    body: "Array.prototype.toJSON = function () { return new Array(200000).fill({ level: 'log', text: 'x' }); }; console.log('one'); return 'done';",
    expect: { value: 'done' },
    console: (entries) => {
      expect(entries).toEqual([{ level: 'log', text: 'one' }]);
    },
  },
  {
    area: 'console',
    name: 'logging a 200,000-key object and a 1 MiB string',
    body: "const o = {}; for (let i = 0; i < 200000; i++) o['k' + i] = i; console.log(o); console.log('z'.repeat(1 << 20)); return 'done';",
    create: { limits: { callTimeoutMs: 5000 } },
    expect: { value: 'done' },
    console: (entries) => {
      expect(entries).toHaveLength(2);
      for (const entry of entries) expect(entry.text.length).toBeLessThanOrEqual(8192 + 20);
    },
  },
  {
    area: 'console',
    name: 'logging values whose getters and toString throw',
    body: "console.log({ get x() { throw new Error('no'); } }, { toString() { throw 1; } }, 'after'); return 'done';",
    expect: { value: 'done' },
    console: (entries) => {
      expect(entries).toEqual([{ level: 'log', text: '[unprintable] { toString: [Function toString] } after' }]);
    },
  },

  // ---- module graph: only the package's own import map resolves
  {
    area: 'module',
    name: 'an import missing from the package',
    pkg: singleModule("import './missing.js';\nexport default class Attack {}"),
    stage: 'create',
    expect: { code: ErrorCode.ModuleNotFound, message: "Cannot find module './missing.js' imported from node.js", then: 'discarded' },
  },
  {
    area: 'module',
    name: 'an import mapped to edge:../.. (the loader refuses it too)',
    pkg: makePackage({ modules: { 'node.js': "import x from 'up';\nexport default class Attack {}" }, imports: { 'node.js': { up: 'edge:../..' } } }),
    stage: 'create',
    expect: { code: ErrorCode.ModuleNotFound, message: "Cannot find module 'up' imported from node.js", then: 'discarded' },
  },
  {
    area: 'module',
    name: 'a dynamic import of a host module',
    body: "return import('node:fs');",
    expect: {
      code: ErrorCode.UserError,
      message: "Cannot find module 'node:fs' imported from node.js: only modules in the package's import map can be loaded",
      then: 'usable',
    },
  },
  {
    area: 'module',
    name: 'a syntax error',
    pkg: singleModule('export default class Attack { ping( { }'),
    stage: 'create',
    expect: { code: ErrorCode.CompileError, message: /expecting|unexpected|expected/, then: 'discarded' },
  },
  {
    area: 'module',
    name: 'a module body that throws',
    pkg: singleModule("throw new Error('refuse to load');\nexport default class Attack {}"),
    stage: 'create',
    expect: { code: ErrorCode.UserError, message: 'refuse to load', then: 'discarded' },
  },
  {
    area: 'module',
    name: 'an entry that exports no class',
    pkg: singleModule('export default 42;'),
    stage: 'create',
    expect: { code: ErrorCode.InvalidManifest, message: 'does not export a class named "default" (found number)', then: 'discarded' },
  },
  {
    area: 'module',
    name: 'a class with 5,000 methods',
    pkg: singleModule(`export default class Attack { ${Array.from({ length: 5000 }, (_, i) => `m${i}() {}`).join(' ')} }`),
    stage: 'create',
    expect: { code: ErrorCode.InvalidManifest, message: 'the class has more than 1000 methods', then: 'discarded' },
  },
  {
    area: 'module',
    name: 'a source that does not match its hash',
    pkg: { ...singleModule('export default class Attack {}'), sources: { 'node.js': 'export default class Tampered {}' } },
    stage: 'create',
    expect: { code: ErrorCode.PackageIntegrity, message: 'module node.js does not match its SHA-256', then: 'discarded' },
  },

  // ---- state: restored instances get the same membrane as arguments
  {
    area: 'state',
    name: 'state nested 600 deep',
    pkg: singleModule(classWith('return 1;')),
    create: { state: nestedState(600) },
    stage: 'create',
    expect: { code: ErrorCode.InvalidInput, message: 'value nested deeper than 512 levels', then: 'discarded' },
  },
  {
    area: 'state',
    name: 'state larger than the sandbox can take',
    pkg: singleModule(classWith('return 1;')),
    create: { state: { blob: new Uint8Array(16 * MiB) } },
    stage: 'create',
    expect: { code: ErrorCode.InvalidInput, message: 'do not fit the sandbox', then: 'discarded' },
  },
  {
    area: 'state',
    name: 'a "__proto__" key in restored state',
    body: 'return [Object.getPrototypeOf(this) === Attack.prototype, this.__proto__ === Attack.prototype, Object.keys(this)];',
    create: { state: JSON.parse('{"__proto__": {"polluted": true}, "kept": 1}') as unknown },
    expect: { value: [true, false, ['__proto__', 'kept']] },
  },
  {
    area: 'state',
    name: 'a snapshot whose field getter loops',
    stage: 'snapshot',
    prelude: '',
    body: '',
    pkg: singleModule(
      "export default class Attack { constructor() { Object.defineProperty(this, 'x', { get() { for (;;) {} }, enumerable: true }); } ping() { return 'pong'; } }",
    ),
    expect: { code: ErrorCode.SandboxTimeout, message: 'snapshot did not finish within 300 ms', then: 'discarded' },
  },
  {
    area: 'state',
    name: 'a snapshot holding a function',
    stage: 'snapshot',
    pkg: singleModule("export default class Attack { constructor() { this.fn = () => 1; } ping() { return 'pong'; } }"),
    expect: { code: ErrorCode.UserError, message: 'cannot pass a function out of the sandbox (at result.fn)', then: 'usable' },
  },

  // ---- escape probes: nothing of the host is reachable
  {
    area: 'escape',
    name: 'host globals',
    body: "return [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof WebAssembly, typeof Atomics, Function('return this')() === globalThis];",
    expect: { value: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', true] },
  },
  {
    area: 'escape',
    name: 'detaching the shared frame buffer',
    body: 'return [typeof ArrayBuffer.prototype.transfer, typeof ArrayBuffer.prototype.transferToFixedLength, args[0].byteLength];',
    args: [new Uint8Array(8)],
    expect: { value: ['undefined', 'undefined', 8] },
  },
];

function nestedState(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}

const BYSTANDER = singleModule(classWith("return 'bystander';"));

describe('sandbox abuse suite', () => {
  let pool: SandboxPool;
  const bystanders: NodeSandbox[] = [];
  beforeAll(async () => {
    pool = new SandboxPool({ workers: 2, limits: { callTimeoutMs: 300 }, watchdogGraceMs: 2000 });
    // Least-loaded placement puts one bystander on each worker.
    bystanders.push(await pool.create({ pkg: BYSTANDER, nodeName: 'Bystander' }), await pool.create({ pkg: BYSTANDER, nodeName: 'Bystander' }));
    expect(pool.stats().sandboxesPerWorker).toEqual([1, 1]);
  });
  afterAll(async () => {
    // No attack needed the watchdog: every worker that started is still the one running.
    expect(pool.stats().workerRestarts).toBe(0);
    await pool.close();
  });

  it('has at least 30 cases across every area', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.area))).toEqual(new Set<Area>(['time', 'memory', 'stack', 'result', 'console', 'module', 'state', 'escape']));
  });

  it.each(CASES.map((c) => [`${c.area}: ${c.name}`, c] as const))(
    '%s',
    async (_label, c) => {
      const entries: ConsoleEntry[] = [];
      const pkg = c.pkg ?? singleModule(classWith(c.body ?? '', c.prelude));
      const create = (): Promise<NodeSandbox> => pool.create({ pkg, nodeName: 'Attack', onConsole: (e) => entries.push(e), ...c.create });
      let sandbox: NodeSandbox | undefined;
      let outcome: unknown;
      try {
        sandbox = await create();
        const stage = c.stage ?? 'call';
        if (stage === 'create') throw new Error('the package was expected to be refused');
        outcome =
          stage === 'snapshot'
            ? await sandbox.snapshot()
            : stage === 'process'
              ? await sandbox.process(c.args?.[0])
              : await sandbox.call('attack', c.args ?? []);
      } catch (error) {
        outcome = error;
      }

      if ('value' in c.expect) {
        expect(outcome).toEqual(c.expect.value);
        expect(await sandbox!.call('ping', [])).toBe('pong');
      } else {
        const { code, message, then } = c.expect;
        expect(outcome, String(outcome)).toBeInstanceOf(RemoteMediaError);
        const error = outcome as RemoteMediaError;
        expect(error.code, error.message).toBe(code);
        const text = error instanceof RemoteError ? error.remoteMessage : error.message;
        if (typeof message === 'string') expect(text).toContain(message);
        else expect(text).toMatch(message);
        if (sandbox !== undefined) {
          if (then === 'usable') expect(await sandbox.call('ping', [])).toBe('pong');
          else expect(((await sandbox.call('ping', []).catch((e: unknown) => e)) as RemoteError).code).toBe(ErrorCode.SandboxDiscarded);
        }
      }
      c.console?.(entries);
      if (c.console === undefined) expect(entries.length).toBeLessThanOrEqual(101);
      // Every other tenant is untouched.
      for (const bystander of bystanders) expect(await bystander.call('attack', [])).toBe('bystander');
      await sandbox?.dispose();
    },
    30_000,
  );

  it('refuses an edge:../.. import already when the edge validates the package', () => {
    const pkg = makePackage({
      modules: { 'node.js': "import x from 'up';\nexport default class Attack {}" },
      imports: { 'node.js': { up: 'edge:../..' } },
    });
    expect(() => validatePackageShape(pkg)).toThrow(/maps to 'edge:\.\.\/\.\.', which is not a valid edge module name/);
  });
});
