import { isOwnedBuffer } from '@remotemedia/shared/transport';

/**
 * The buffers of a frame (or other item) that may be moved to a worker instead of copied: those marked as
 * holding nothing but one received message's bytes (see claimReceivedBuffers). Only the item's own fields
 * are looked at, where frames keep their pixels and samples, so the walk costs the same for any item. The
 * caller must not read the item's bytes afterwards: its views are detached (length 0) on this thread.
 */
export function ownedTransferables(item: unknown): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const value of fieldsOf(item)) {
    const buffer = ArrayBuffer.isView(value) ? value.buffer : value;
    if (buffer instanceof ArrayBuffer && isOwnedBuffer(buffer) && !out.includes(buffer)) out.push(buffer);
  }
  return out;
}

/** The item itself and its own enumerable fields. */
export function fieldsOf(item: unknown): unknown[] {
  if (item === null || typeof item !== 'object') return [];
  if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer) return [item];
  return [item, ...Object.values(item)];
}
