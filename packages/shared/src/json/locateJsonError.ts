/** Where JSON text stops being valid: a UTF-16 offset into the text and what was expected there. */
export interface JsonSyntaxProblem {
  readonly offset: number;
  readonly message: string;
}

type State = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';

/**
 * Finds the first syntax error in JSON text (RFC 8259, exactly what JSON.parse accepts), or undefined when
 * there is none. JSON.parse's own messages cannot be relied on for a position: V8 omits it for an unexpected
 * token ("Unexpected token 'x', "xyz" is not valid JSON") and words it differently across Node versions.
 * One pass with an explicit stack, so deep nesting cannot overflow the call stack.
 */
export function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  const stack: ('{' | '[')[] = [];
  let state: State = 'value';
  let i = 0;
  /** Where the last "," was: a trailing comma is reported there, not at the bracket after it. */
  let comma = 0;
  const fail = (offset: number, message: string): JsonSyntaxProblem => ({ offset, message });
  for (;;) {
    while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
    const c = text[i];
    // "/" is valid nowhere outside a string, and a comment is the usual reason it is there.
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return fail(i, 'comments are not allowed in JSON');
    // Right after "[" or "{" the container may close at once; otherwise it holds a value or a key like any other.
    if ((state === 'firstValue' && c === ']') || (state === 'firstKey' && c === '}')) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'firstValue') state = 'value';
    if (state === 'firstKey') state = 'key';
    switch (state) {
      case 'value': {
        if (c === undefined) return fail(i, 'the text ends where a value was expected');
        if (c === '{' || c === '[') {
          stack.push(c);
          i++;
          state = c === '{' ? 'firstKey' : 'firstValue';
          continue;
        }
        const end = c === '"' ? scanString(text, i) : c === '-' || isDigit(c) ? scanNumber(text, i) : scanLiteral(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = 'after';
        continue;
      }
      case 'key': {
        if (c === undefined) return fail(i, 'the text ends where a property name was expected');
        if (c !== '"') {
          if (c === '}') return fail(comma, 'a trailing comma before "}" (JSON allows none)');
          if (c === "'") return fail(i, 'property names need double quotes, not single');
          return fail(i, `expected a property name in double quotes, got ${describe(text, i)}`);
        }
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
        if (text[i] !== ':') return fail(i, `expected ":" after the property name, got ${describe(text, i)}`);
        i++;
        state = 'value';
        continue;
      }
      case 'after': {
        const open = stack[stack.length - 1];
        if (open === undefined) return c === undefined ? undefined : fail(i, `unexpected ${describe(text, i)} after the end of the JSON value`);
        const close = open === '{' ? '}' : ']';
        const what = open === '{' ? 'a property value' : 'an array element';
        if (c === undefined) return fail(i, `the text ends before the ${open === '{' ? 'object' : 'array'} is closed with "${close}"`);
        if (c === close) {
          stack.pop();
          i++;
          continue;
        }
        if (c !== ',') return fail(i, `expected "," or "${close}" after ${what}, got ${describe(text, i)}`);
        comma = i++;
        if (open === '[') {
          while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
          if (text[i] === ']') return fail(comma, 'a trailing comma before "]" (JSON allows none)');
        }
        state = open === '{' ? 'key' : 'value';
        continue;
      }
    }
  }
}

/** Index after the closing quote of the string opening at `start`, or the problem inside it. */
function scanString(text: string, start: number): number | JsonSyntaxProblem {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) {
      return code === 0x0a || code === 0x0d
        ? { offset: i, message: 'a line break inside a string: close the string with " on its line, or write \\n' }
        : { offset: i, message: `control character ${codePoint(code)} inside a string: write it as \\u${code.toString(16).padStart(4, '0')}` };
    }
    if (code === 0x5c) {
      const escape = text[i + 1];
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, message: 'a \\u escape needs four hex digits' };
        i += 6;
        continue;
      }
      if (escape === undefined || !'"\\/bfnrt'.includes(escape)) {
        return {
          offset: i,
          message: `invalid escape ${escape === undefined ? '\\ at the end' : `\\${escape}`} in a string (use \\\\ for a backslash)`,
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: start, message: 'this string is never closed with "' };
}

/** Index after the number starting at `start`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function scanNumber(text: string, start: number): number | JsonSyntaxProblem {
  let i = start;
  if (text[i] === '-') i++;
  if (!isDigit(text[i])) return { offset: i, message: `expected a digit after "-", got ${describe(text, i)}` };
  if (text[i] === '0') {
    i++;
    if (isDigit(text[i])) return { offset: start, message: 'numbers cannot start with 0 (leading zeros are not allowed in JSON)' };
  } else {
    while (isDigit(text[i])) i++;
  }
  if (text[i] === '.') {
    i++;
    if (!isDigit(text[i])) return { offset: i, message: `expected a digit after the decimal point, got ${describe(text, i)}` };
    while (isDigit(text[i])) i++;
  }
  if (text[i] === 'e' || text[i] === 'E') {
    i++;
    if (text[i] === '+' || text[i] === '-') i++;
    if (!isDigit(text[i])) return { offset: i, message: `expected a digit in the exponent, got ${describe(text, i)}` };
    while (isDigit(text[i])) i++;
  }
  return i;
}

/** `true`, `false` or `null` at `start`; anything else is not a value. */
function scanLiteral(text: string, start: number): number | JsonSyntaxProblem {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start) && !/[\w$]/.test(text[start + literal.length] ?? '')) return start + literal.length;
  }
  return { offset: start, message: `expected a value (a string, number, object, array, true, false or null), got ${describe(text, start)}` };
}

/** What stands at `i`, quoted for a message: a whole word (`tru`, `NaN`), one character, or its code point. */
function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i, i + 40));
  if (word !== null) return `"${word[0]}"`;
  const code = text.codePointAt(i)!;
  if (code < 0x20 || code === 0x7f || code === 0xfeff) return codePoint(code);
  return `"${String.fromCodePoint(code)}"`;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
