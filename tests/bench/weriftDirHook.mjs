// Module resolve hook registered by useWeriftDir.mjs: 'werift' -> <dir>/lib/index.mjs (werift's ESM entry).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let entry;

export function initialize({ dir }) {
  entry = pathToFileURL(join(dir, 'lib', 'index.mjs')).href;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'werift') return { url: entry, shortCircuit: true };
  return nextResolve(specifier, context);
}
