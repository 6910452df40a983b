import { locateJsonError } from './locateJsonError.ts';

export type JsonText =
  | { readonly ok: true; readonly value: unknown }
  /** `problem` reads "at line 3, column 5: expected ..." so a message can say `${file} is not valid JSON ${problem}`. */
  | { readonly ok: false; readonly problem: string };

/**
 * JSON.parse for text a person wrote (a manifest, a config file, an input file): on a syntax error it says
 * where, as line and column (1-based, columns in characters), and what was expected there.
 */
export function parseJsonText(text: string): JsonText {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const found = locateJsonError(text);
    // The locator accepts exactly what JSON.parse accepts; should they ever disagree, JSON.parse's word stands.
    if (found === undefined) return { ok: false, problem: `(${(error as Error).message})` };
    const { line, column } = lineAndColumn(text, found.offset);
    return { ok: false, problem: `at line ${line}, column ${column}: ${found.message}` };
  }
}

/** Lines end at \n (so \r\n counts once); the column counts code points, as editors show them. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...text.slice(lineStart, offset)].length + 1 };
}
