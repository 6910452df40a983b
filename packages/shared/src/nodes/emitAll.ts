import type { NodeResult } from '../pipeline/PipelineNode.ts';

/** A node result for a list of outputs: nothing, the single item, or an iterator over many. */
export function emitAll<T>(items: readonly T[]): NodeResult<T> {
  if (items.length === 0) return undefined;
  if (items.length === 1) return items[0];
  return items.values();
}
