// The membrane's value format, tag by tag, through a real QuickJS sandbox: the host encodes a value (its JSON
// must carry the tag), the guest decodes it (and reports what it received, type for type), the guest encodes
// it back as the method's result, and the host decodes it. Each tag decodes into a type no other tag produces
// (a Map only from "m", a BigInt only from "b", ...), so getting the same value back proves the guest's encoder
// used that tag too. A tag added to the format without a case here fails the coverage test.
import { describe, expect, it } from 'vitest';
import { encodeForGuest, Tag, TYPED_ARRAY_KINDS } from '@remotemedia/edge-server/sandbox';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { usePool } from '../support/sandboxPool.ts';

/**
 * Describes a value type for type, the same way on both sides (run in the guest and on the host): -0, NaN,
 * BigInt, Date, Map, Set, the typed array kind and its elements, ArrayBuffer bytes, own keys in order.
 */
const DESCRIBE = `function describe(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number': return Object.is(v, -0) ? 'number -0' : 'number ' + String(v);
    case 'bigint': return 'bigint ' + v.toString();
    case 'string': return 'string ' + JSON.stringify(v);
    case 'boolean': return 'boolean ' + v;
  }
  if (v instanceof Date) return 'Date ' + String(v.getTime());
  if (v instanceof Map) return 'Map {' + [...v].map(([k, x]) => describe(k) + ' => ' + describe(x)).join(', ') + '}';
  if (v instanceof Set) return 'Set {' + [...v].map(describe).join(', ') + '}';
  if (ArrayBuffer.isView(v)) return v.constructor.name + ' [' + Array.from(v, String).join(', ') + ']';
  if (v instanceof ArrayBuffer) return 'ArrayBuffer [' + new Uint8Array(v).join(', ') + ']';
  if (Array.isArray(v)) return '[' + v.map(describe).join(', ') + ']';
  const proto = Object.getPrototypeOf(v);
  const kind = proto === Object.prototype ? 'Object' : proto === null ? 'null-prototype' : 'other';
  return kind + ' {' + Object.keys(v).map((k) => JSON.stringify(k) + ': ' + describe(v[k])).join(', ') + '}';
}`;
const describeHost = new Function(`${DESCRIBE}; return describe;`)() as (value: unknown) => string;

const ECHO = `${DESCRIBE}
export class Echo {
  echo(value) { return value; }
  inspect(value) { return describe(value); }
}`;

interface Case {
  tag: Tag;
  name: string;
  value: () => unknown;
}

const bytes = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => (from + i * 37) % 256);
const typedArrayCases: Case[] = TYPED_ARRAY_KINDS.map((kind) => ({
  tag: Tag.TypedArray,
  name: kind,
  value: () => {
    const Ctor = globalThis[kind] as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayLike<unknown>;
    const width = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    // A view into the middle of a larger buffer: only its own elements may cross.
    const buffer = new Uint8Array(bytes(width * 7)).buffer;
    return new Ctor(buffer, width * 2, 3);
  },
}));

const CASES: Case[] = [
  { tag: Tag.Undefined, name: 'undefined alone', value: () => undefined },
  { tag: Tag.Undefined, name: 'undefined as an element and a field', value: () => [1, undefined, { gone: undefined }] },
  { tag: Tag.SpecialNumber, name: 'NaN', value: () => Number.NaN },
  { tag: Tag.SpecialNumber, name: 'Infinity', value: () => Number.POSITIVE_INFINITY },
  { tag: Tag.SpecialNumber, name: '-Infinity', value: () => Number.NEGATIVE_INFINITY },
  { tag: Tag.SpecialNumber, name: '-0', value: () => -0 },
  { tag: Tag.BigInt, name: 'BigInts beyond 2^64, negative and zero', value: () => [2n ** 70n + 1n, -(2n ** 65n), 0n] },
  { tag: Tag.Date, name: 'a Date', value: () => new Date(Date.UTC(2024, 1, 29, 12, 30)) },
  { tag: Tag.Date, name: 'an invalid Date', value: () => new Date(Number.NaN) },
  {
    tag: Tag.Map,
    name: 'a Map with non-string keys and tagged values',
    value: () =>
      new Map<unknown, unknown>([
        [1, 'one'],
        [-0, undefined],
        [{ k: 2 }, new Set([3n])],
        ['nested', new Map([[new Date(0), [Number.NaN]]])],
      ]),
  },
  { tag: Tag.Set, name: 'a Set of mixed values', value: () => new Set<unknown>(['a', 2, undefined, 9n, new Date(5)]) },
  ...typedArrayCases,
  { tag: Tag.ArrayBuffer, name: 'an ArrayBuffer', value: () => new Uint8Array(bytes(13)).buffer },
  { tag: Tag.ArrayBuffer, name: 'an empty ArrayBuffer', value: () => new ArrayBuffer(0) },
  { tag: Tag.EscapedObject, name: 'an object with its own "$t" key', value: () => ({ $t: 'x', k: 'Uint8Array', i: 0, o: 0, l: 1 }) },
  { tag: Tag.EscapedObject, name: 'nested objects with "$t" keys', value: () => ({ $t: 'u', inner: { $t: 'o', v: { $t: 'b' } } }) },
];

describe('value format round trip: host encode -> guest decode -> guest encode -> host decode', () => {
  const pool = usePool({ workers: 1 });
  const echo = async () => pool().create({ pkg: singleModule(ECHO, 'Echo', 'echo.js') });

  it('has a case for every tag, typed array kind and special number', () => {
    expect(new Set(CASES.map((c) => c.tag))).toEqual(new Set(Object.values(Tag)));
    expect(typedArrayCases.map((c) => c.name)).toEqual([...TYPED_ARRAY_KINDS]);
    const specials = CASES.filter((c) => c.tag === Tag.SpecialNumber).map((c) => c.name);
    expect(specials.sort()).toEqual(['-0', '-Infinity', 'Infinity', 'NaN']);
  });

  for (const { tag, name, value } of CASES) {
    it(`carries ${name} as "${tag}" both ways`, async () => {
      const sandbox = await echo();
      try {
        expect(encodeForGuest([value()]).json).toContain(`"$t":"${tag}"`);
        const expected = describeHost(value());
        expect(await sandbox.call('inspect', [value()])).toBe(expected);
        const back = await sandbox.call('echo', [value()]);
        expect(describeHost(back)).toBe(expected);
        expect(back).toStrictEqual(value());
      } finally {
        await sandbox.dispose();
      }
    });
  }

  it('carries every tag at once, nested in one value, both ways', async () => {
    const sandbox = await echo();
    const all = () => Object.fromEntries(CASES.map((c, i) => [`${i} ${c.name}`, c.value()]));
    const expected = describeHost(all());
    expect(await sandbox.call('inspect', [all()])).toBe(expected);
    expect(describeHost(await sandbox.call('echo', [all()]))).toBe(expected);
    await sandbox.dispose();
  });
});
