import type { NodeResult } from './PipelineNode.ts';

/** True for results that fan out: async iterables and iterators. Arrays, strings, typed arrays are single items. */
export function isManyResult<O>(value: unknown): value is (Iterator<O> & Iterable<O>) | AsyncIterable<O> {
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') return true;
  return (
    typeof (value as { next?: unknown }).next === 'function' && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/**
 * Delivers each item of a node result to `emit`, in order, awaiting it (so a generator is not drained
 * faster than downstream accepts). `emit` returning false stops the iteration and closes the generator.
 */
export async function forEachResult<O>(result: NodeResult<O> | Promise<NodeResult<O>>, emit: (item: O) => boolean | Promise<boolean>): Promise<void> {
  const value = await result;
  if (value === undefined) return;
  if (isManyResult<O>(value)) {
    if (Symbol.asyncIterator in value) {
      for await (const item of value as AsyncIterable<O>) {
        if (item !== undefined && !(await emit(item))) return;
      }
    } else {
      for (const item of value as Iterable<O>) {
        if (item !== undefined && !(await emit(item))) return;
      }
    }
    return;
  }
  await emit(value as O);
}

/** Every item of a node result, in order, as an array (for callers that ship the outputs elsewhere). */
export async function collectResult<O>(result: NodeResult<O> | Promise<NodeResult<O>>): Promise<O[]> {
  const items: O[] = [];
  await forEachResult(result, (item) => {
    items.push(item);
    return true;
  });
  return items;
}
