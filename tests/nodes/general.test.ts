import { describe, expect, it } from 'vitest';
import { pack } from 'msgpackr';
import { ErrorCode } from '@remotemedia/shared/errors';
import { Pipeline } from '@remotemedia/shared/pipeline';
import { createNode } from '@remotemedia/shared/nodes';

async function streamAll(nodeName: string, config: unknown, items: unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([createNode(nodeName, config)]).stream(items)) out.push(item);
  return out;
}

describe('PassThrough', () => {
  it('forwards items unchanged, even iterators', async () => {
    const iterator = [1, 2].values();
    const out = await streamAll('PassThrough', {}, ['a', iterator]);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('a');
    expect(out[1]).toBe(iterator);
  });
});

describe('Buffer', () => {
  it('emits one batch per N inputs and flushes the remainder at the end', async () => {
    expect(await streamAll('Buffer', { size: 3 }, [1, 2, 3, 4, 5, 6, 7])).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });
});

describe('DataTransform', () => {
  it('applies the function; undefined filters and generators fan out', async () => {
    const out = await streamAll(
      'DataTransform',
      {
        transform: function* (x: unknown) {
          if ((x as number) > 1) yield* [x, x];
        },
      },
      [1, 2, 3],
    );
    expect(out).toEqual([2, 2, 3, 3]);
    expect(await streamAll('DataTransform', { transform: async (x: unknown) => String(x) }, [1])).toEqual(['1']);
  });

  it('requires a function', () => {
    expect(() => createNode('DataTransform', {})).toThrow(/config\.transform: is required/);
    expect(() => createNode('DataTransform', { transform: 'x => x' })).toThrow('config.transform: must be a function, got "x => x"');
  });
});

describe('Calculator', () => {
  it('computes every operation', async () => {
    const inputs = [
      { op: 'add', a: 2, b: 3 },
      { op: 'subtract', a: 2, b: 3 },
      { op: 'multiply', a: 2, b: 3 },
      { op: 'divide', a: 3, b: 2 },
      { op: 'modulo', a: 7, b: 3 },
      { op: 'power', a: 2, b: 10 },
      { a: 1, b: 1 },
    ];
    const out = (await streamAll('Calculator', { operation: 'multiply' }, inputs)) as { result: number }[];
    expect(out.map((o) => o.result)).toEqual([5, -1, 6, 1.5, 1, 1024, 1]);
  });

  it('raises DIVISION_BY_ZERO through the pipeline, naming the node', async () => {
    await expect(streamAll('Calculator', {}, [{ op: 'divide', a: 1, b: 0 }])).rejects.toMatchObject({
      code: ErrorCode.DivisionByZero,
      nodeName: 'Calculator',
    });
  });

  it('rejects malformed items with INVALID_INPUT', async () => {
    await expect(streamAll('Calculator', {}, [{ op: 'sqrt', a: 1, b: 0 }])).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
    await expect(streamAll('Calculator', {}, [{ a: '1', b: 2 }])).rejects.toThrow(/a: must be a finite number, got "1"/);
  });
});

describe('TextProcessor', () => {
  const cases: [string, unknown][] = [
    ['uppercase', 'HELLO WORLD 👋'],
    ['lowercase', 'hello world 👋'],
    ['title-case', 'Hello World 👋'],
    ['reverse', '👋 dlroW olleH'],
    ['word-count', 3],
    ['char-count', 13],
  ];
  for (const [operation, expected] of cases) {
    it(`${operation}`, async () => {
      expect(await streamAll('TextProcessor', { operation }, ['Hello World 👋'])).toEqual([expected]);
    });
  }

  it('accepts { text } items and counts lines', async () => {
    expect(await streamAll('TextProcessor', { operation: 'line-count' }, [{ text: 'a\nb\r\nc' }])).toEqual([3]);
  });
});

describe('FormatConverter', () => {
  const value = { name: 'cam', size: [640, 480], live: true, gain: -3.5, note: null };

  it('converts JSON to standard MessagePack and back', async () => {
    const [bytes] = await streamAll('FormatConverter', { from: 'json', to: 'msgpack' }, [JSON.stringify(value)]);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes as Uint8Array)).toEqual(Array.from(pack(value)));
    const [json] = await streamAll('FormatConverter', { from: 'msgpack', to: 'json' }, [bytes]);
    expect(JSON.parse(json as string)).toEqual(value);
  });

  it('converts objects both ways and returns independent byte arrays', async () => {
    const out = (await streamAll('FormatConverter', { from: 'object', to: 'msgpack' }, [{ a: 1 }, { b: 2 }])) as Uint8Array[];
    const back = await streamAll('FormatConverter', { from: 'msgpack', to: 'object' }, out);
    expect(back).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('rejects invalid input and identical formats', async () => {
    await expect(streamAll('FormatConverter', { from: 'json', to: 'object' }, ['{oops'])).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
    await expect(streamAll('FormatConverter', { from: 'msgpack', to: 'object' }, ['text'])).rejects.toThrow(/expected MessagePack bytes/);
    expect(() => createNode('FormatConverter', { from: 'json', to: 'json' })).toThrow(/config\.to: must differ/);
  });
});
