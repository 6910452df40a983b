import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { remoteRejection } from '../support/remoteRejection.ts';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Issue 15, item 4: result encoding was quadratic (a deep or shared result ran into the deadline and cost the
 * instance, or past it and cost the whole worker), and guest hooks on prototypes and globals ran inside the
 * prelude's own encoder. Encoding must be linear and bounded, and immune to those hooks.
 */
const SHAPES = `export default class Shapes {
  deep(n) { let a = []; for (let i = 0; i < n; i++) a = [a]; return a; }
  deepMap(n) { let m = new Map(); for (let i = 0; i < n; i++) m = new Map([['k', m]]); return m; }
  shared(n) { let a = [1]; for (let i = 0; i < n; i++) a = [a, a]; return a; }
  wide(n) { return new Array(n).fill(0); }
  ping() { return 'pong'; }
}`;

const RICH = `({ a: [1, 2, { b: 'x' }], m: new Map([[1, 'one']]), s: new Set([2]), d: new Date(5), bytes: new Uint8Array([1, 2, 3]),
  f: new Float32Array([0.5]), n: -0, big: 12n, u: undefined, $t: 'kept', ['__proto__']: 'field' })`;

const HOOKS: Array<[string, string]> = [
  ['Object.prototype.toJSON', `Object.prototype.toJSON = function () { return { v: 'forged', b: [2 ** 31] }; };`],
  ['Array.prototype.toJSON', `Array.prototype.toJSON = function () { return new Array(100000).fill({ level: 'log', text: 'x' }); };`],
  [
    'index setters on Array.prototype',
    `for (const i of [0, 1, 2]) Object.defineProperty(Array.prototype, i, { set() {}, get() { return 'hijacked'; }, configurable: true });`,
  ],
  [
    'inherited get/set that hijack property descriptors',
    `Object.prototype.get = function () { return 'hijacked'; }; Object.prototype.set = function () {};`,
  ],
  ['a replaced Uint8Array global', `globalThis.Uint8Array = class { constructor() { this.length = 2 ** 31; } };`],
  [
    'a lying typed array length getter',
    `Object.defineProperty(Object.getPrototypeOf(Int8Array.prototype), 'length', { get() { return 2 ** 31; } });`,
  ],
  ['replaced JSON.stringify and Array.isArray', `JSON.stringify = () => '{"v":1,"b":[2147483648]}'; Array.isArray = () => false;`],
  [
    'replaced Map, Set and Promise methods',
    `Map.prototype.forEach = function () { throw new Error('hooked'); }; Set.prototype.has = () => true; Set.prototype.add = function () { return this; }; Promise.prototype.then = function () { return new Promise(() => {}); };`,
  ],
];

describe('result encoding is linear and bounded', () => {
  const pool = usePool({ workers: 1, limits: { callTimeoutMs: 2000 } });

  it('refuses a result nested 20,000 deep with INVALID_OUTPUT naming the path, and the instance stays usable', async () => {
    const sandbox = await pool().create({ pkg: singleModule(SHAPES), nodeName: 'Shapes' });
    const error = await remoteRejection(sandbox.call('deep', [20_000]), ErrorCode.InvalidOutput);
    expect(error.message).toContain('deep returned a result the edge refuses: it is nested deeper than 48 levels (at result[0][0][0]');
    expect(await sandbox.call('ping', [])).toBe('pong');
    const maps = await remoteRejection(sandbox.call('deepMap', [5000]), ErrorCode.InvalidOutput);
    expect(maps.message).toContain('it is nested deeper than 48 levels (at result<value><value>');
  });

  it('refuses a shared (DAG) result of 2^28 paths at the value cap instead of expanding it', async () => {
    const sandbox = await pool().create({ pkg: singleModule(SHAPES), nodeName: 'Shapes' });
    const error = await remoteRejection(sandbox.call('shared', [28]), ErrorCode.InvalidOutput);
    expect(error.message).toContain('it has more than 200000 values');
    expect(await sandbox.call('ping', [])).toBe('pong');
  });

  it('passes results within the bounds: 48 levels, a 2^16-path DAG, 150,000 values', async () => {
    const sandbox = await pool().create({ pkg: singleModule(SHAPES), nodeName: 'Shapes' });
    let nested = (await sandbox.call('deep', [47])) as unknown[];
    for (let i = 0; i < 47; i++) nested = nested[0] as unknown[];
    expect(nested).toEqual([]);
    expect(JSON.stringify(await sandbox.call('shared', [16])).length).toBeGreaterThan(100_000);
    expect(((await sandbox.call('wide', [150_000])) as number[]).length).toBe(150_000);
  });
});

describe('guest hooks do not reach the prelude', () => {
  const pool = usePool({ workers: 1 });

  it.each(HOOKS)('returns exact results with %s installed', async (_what, hook) => {
    // The value is built before the hook exists: a hook may change what user code builds, not what leaves.
    const source = `const RICH = ${RICH};
    export default class Hooked {
      hook() { ${hook} return 'installed'; }
      rich() { return RICH; }
      process(x) { return x; }
    }`;
    const sandbox = await pool().create({ pkg: singleModule(source), nodeName: 'Hooked' });
    expect(await sandbox.call('hook', [])).toBe('installed');
    const rich = (await sandbox.call('rich', [])) as Record<string, unknown>;
    const expected: Record<string, unknown> = {
      a: [1, 2, { b: 'x' }],
      m: new Map([[1, 'one']]),
      s: new Set([2]),
      d: new Date(5),
      bytes: new Uint8Array([1, 2, 3]),
      f: new Float32Array([0.5]),
      n: -0,
      big: 12n,
      u: undefined,
      $t: 'kept',
    };
    Object.defineProperty(expected, '__proto__', { value: 'field', enumerable: true, writable: true, configurable: true });
    expect(rich).toEqual(expected);
    expect(Object.is(rich.n, -0)).toBe(true);
    expect(Object.getPrototypeOf(rich)).toBe(Object.prototype);
    expect(await sandbox.process({ tag: 'item' })).toEqual([{ tag: 'item' }]);
    expect(await sandbox.snapshot()).toEqual({});
  });

  it('builds the instance without the array iterator a module replaced', async () => {
    const source = `Array.prototype[Symbol.iterator] = function* () { yield 'hijacked'; };
    export default class Args { constructor(a, b) { this.args = [a, b]; } get() { return this.args; } }`;
    const sandbox = await pool().create({ pkg: singleModule(source), nodeName: 'Args', ctorArgs: ['x', 'y'] });
    expect(await sandbox.call('get', [])).toEqual(['x', 'y']);
  });
});
