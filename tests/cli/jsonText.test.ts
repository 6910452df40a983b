import { describe, expect, it } from 'vitest';
import { lineAndColumn, locateJsonError, parseJsonText } from '@remotemedia/shared';

const VALID = [
  '{"version":1,"nodes":[{"node":"Gain","config":{"gainDb":-6.5e-1}},{"node":"Resample","placement":"remote"}]}',
  '[1, -0, 0.5, 1e10, 2E-3, -12.75e+2, true, false, null, "a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9", [], {}, [[]], {"": {}}]',
  '  "just a string"  ',
  '\n\t\r 0 \n',
  '{"emoji":"😀","cjk":"音"}',
];

/** Seeded, so a failure names an input that can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

function accepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('locateJsonError', () => {
  it('accepts exactly what JSON.parse accepts, over 6000 single-character mutations of valid documents', () => {
    const next = random(12);
    const alphabet = ' \n\t{}[]:,"\\\'-+.0123456789eEtruefalsnl/xu\u0001\u00e9';
    let rejected = 0;
    for (let round = 0; round < 6000; round++) {
      const base = VALID[round % VALID.length]!;
      const at = Math.floor(next() * (base.length + 1));
      const char = alphabet[Math.floor(next() * alphabet.length)]!;
      const mutation = Math.floor(next() * 3);
      const text =
        mutation === 0
          ? base.slice(0, at) + base.slice(at + 1)
          : mutation === 1
            ? base.slice(0, at) + char + base.slice(at)
            : base.slice(0, at) + char + base.slice(at + 1);
      const problem = locateJsonError(text);
      expect({ text, valid: problem === undefined }).toEqual({ text, valid: accepts(text) });
      if (problem !== undefined) {
        rejected++;
        expect(problem.offset).toBeGreaterThanOrEqual(0);
        expect(problem.offset).toBeLessThanOrEqual(text.length);
      }
    }
    // The mutations must exercise the error paths, not only leave the documents valid.
    expect(rejected).toBeGreaterThan(2000);
  });

  it('accepts nesting far deeper than a recursive parser could', () => {
    expect(locateJsonError(`${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toBeUndefined();
    expect(locateJsonError(`${'['.repeat(200_000)}${']'.repeat(199_999)}`)).toEqual({
      offset: 399_999,
      message: 'the text ends before the array is closed with "]"',
    });
  });

  for (const [text, offset, message] of [
    ['{ "port": 80,', 13, 'the text ends where a property name was expected'],
    ['{"a":1,}', 6, 'a trailing comma before "}" (JSON allows none)'],
    ['[1,2,\n]', 4, 'a trailing comma before "]" (JSON allows none)'],
    ['{"a": tru}', 6, 'expected a value (a string, number, object, array, true, false or null), got "tru"'],
    ['{\n  "a": 1\n  "b": 2\n}', 13, 'expected "," or "}" after a property value, got """'],
    ["{'a':1}", 1, 'property names need double quotes, not single'],
    ['{"a" 1}', 5, 'expected ":" after the property name, got "1"'],
    ['[01]', 1, 'numbers cannot start with 0 (leading zeros are not allowed in JSON)'],
    ['[1.]', 3, 'expected a digit after the decimal point, got "]"'],
    ['{"a":"line\nbreak"}', 10, 'a line break inside a string: close the string with " on its line, or write \\n'],
    ['["\\x"]', 2, 'invalid escape \\x in a string (use \\\\ for a backslash)'],
    ['["abc', 1, 'this string is never closed with "'],
    ['{"a":1} // note', 8, 'comments are not allowed in JSON'],
    ['{"a":1, /* b */ "c": 2}', 8, 'comments are not allowed in JSON'],
    ['[1 /', 3, 'expected "," or "]" after an array element, got "/"'],
    ['// note\n{}', 0, 'comments are not allowed in JSON'],
    ['\uFEFF{}', 0, 'expected a value (a string, number, object, array, true, false or null), got U+FEFF'],
    ['', 0, 'the text ends where a value was expected'],
  ] as const) {
    it(`places ${JSON.stringify(text)} at ${offset}: ${message}`, () => {
      expect(accepts(text)).toBe(false);
      expect(locateJsonError(text)).toEqual({ offset, message });
    });
  }
});

describe('parseJsonText', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText('{"a":[1,2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
  });

  it('says the line and column, counting \\r\\n once and characters, not UTF-16 units', () => {
    expect(parseJsonText('{\r\n  "a": 1\r\n  "b": 2\r\n}')).toEqual({
      ok: false,
      problem: 'at line 3, column 3: expected "," or "}" after a property value, got """',
    });
    expect(parseJsonText('{"😀": x}')).toEqual({
      ok: false,
      problem: 'at line 1, column 7: expected a value (a string, number, object, array, true, false or null), got "x"',
    });
    expect(lineAndColumn('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
  });
});
