import { markOwnedBuffer } from '@remotemedia/shared/transport';
import { fieldsOf } from '../workers/ownedTransferables.ts';

/**
 * Marks the typed arrays of an item decoded from a client's message as the message's own, so the session
 * may move them into the worker that runs the node instead of copying them. The decoder gives every typed
 * array a buffer of its own (msgpackr slices it out of the payload, for alignment), which is exactly when a
 * view spans its whole buffer: a `bin` value is a view into the payload and never does, and is marked only
 * if the payload itself was allocated for this message (see the reassembler).
 */
export function claimReceivedBuffers(item: unknown): void {
  for (const value of fieldsOf(item)) {
    if (ArrayBuffer.isView(value) && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) markOwnedBuffer(value.buffer);
  }
}
