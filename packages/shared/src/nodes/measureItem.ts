/** What measureItem found: about how many bytes, and how deep. */
export interface ItemSize {
  readonly bytes: number;
  /** Deepest nesting seen (1 for a value with no containers). */
  readonly depth: number;
}

/**
 * About how many bytes an item takes once encoded: binary payloads exactly, strings by length, other values a
 * few bytes each. Iterative and counting each object once, so a deep or shared structure costs no stack. It
 * stops walking once the total passes `stopAbove` or the nesting passes `maxDepth`, since the caller then only
 * needs to know it is too much.
 */
export function measureItem(item: unknown, stopAbove = Infinity, maxDepth = Infinity): ItemSize {
  // Two parallel stacks rather than one of {value, depth} objects: this may walk every node of a large item.
  const values: unknown[] = [item];
  const depths: number[] = [1];
  const seen = new Set<object>();
  let bytes = 0;
  let deepest = 0;
  while (values.length > 0 && bytes <= stopAbove && deepest <= maxDepth) {
    const value = values.pop();
    const depth = depths.pop()!;
    deepest = Math.max(deepest, depth);
    if (typeof value === 'string') {
      bytes += value.length + 5;
      continue;
    }
    if (typeof value !== 'object' || value === null) {
      bytes += 9;
      continue;
    }
    if (seen.has(value)) continue;
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
      bytes += value.byteLength + 6;
      continue;
    }
    bytes += 5;
    const push = (child: unknown): void => {
      values.push(child);
      depths.push(depth + 1);
    };
    if (Array.isArray(value) || value instanceof Set) {
      for (const element of value) push(element);
    } else if (value instanceof Map) {
      for (const [key, element] of value) {
        push(key);
        push(element);
      }
    } else {
      for (const key of Object.keys(value)) {
        bytes += key.length + 5;
        push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return { bytes, depth: deepest };
}
