import { InvalidResult } from './InvalidResult.ts';

/**
 * One linear pass over JSON text from a guest before it is parsed: JSON.parse would otherwise build whatever
 * nesting and element count the text spells out (a few MB of "[[[[" is millions of nested arrays). Counts
 * container depth and structural tokens ('[', '{', ',') outside strings; the caller sets bounds derived from
 * what the guest's own encoder can emit, so exceeding them means the text was forged.
 */
export function checkJsonShape(text: string, maxDepth: number, maxTokens: number): void {
  let depth = 0;
  let tokens = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character: skip it.
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw InvalidResult.forged(`its JSON is nested deeper than ${maxDepth} levels`);
      if (++tokens > maxTokens) throw InvalidResult.forged(`its JSON has more than ${maxTokens} elements`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x2c) {
      if (++tokens > maxTokens) throw InvalidResult.forged(`its JSON has more than ${maxTokens} elements`);
    }
  }
}
