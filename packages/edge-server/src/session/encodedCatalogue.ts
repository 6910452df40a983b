import { encodeMessage, listNodes } from '@remotemedia/shared';

let encoded: Uint8Array | undefined;

/**
 * The node catalogue (`listNodes()`), msgpack-encoded once: it does not change while the edge runs, and
 * building and encoding it (~0.5 ms) for every `list-nodes` let one client spend the main thread at will.
 */
export function encodedCatalogue(): Uint8Array {
  encoded ??= encodeMessage(listNodes());
  return encoded;
}
