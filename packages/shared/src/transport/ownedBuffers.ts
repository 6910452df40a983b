/**
 * ArrayBuffers that hold one received message's bytes and nothing else: a payload the protocol layer
 * allocated while reassembling it (or took over whole from another thread), or a typed array the decoder
 * allocated for one value. Once the message is decoded nothing but the decoded message refers to them, so its
 * receiver may transfer them to a worker instead of copying. A buffer not marked here may belong to a
 * transport (a WebSocket read buffer, a Node Buffer pool slab) or to a caller, and must be copied.
 */
const owned = new WeakSet<ArrayBufferLike>();

export function markOwnedBuffer(buffer: ArrayBufferLike): void {
  owned.add(buffer);
}

export function isOwnedBuffer(buffer: ArrayBufferLike): boolean {
  return owned.has(buffer);
}
