import { UsingDisposable, type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule, type Scope } from 'quickjs-emscripten-core';
import type { BinaryLayout } from './binaryLayout.ts';
import { InvalidResult } from './InvalidResult.ts';
import type { GuestBufferReader } from './marshal.ts';
import type { WasmMemory } from './quickjsWasm.ts';
import { GuestHeapExhausted } from './rawFailures.ts';

/** Host-made buffers per operation whose heap location is remembered (a frame or two, and a few reads). */
const MAX_TRACKED_BUFFERS = 16;

/** The result arena starts this large and is replaced by a larger one when a result needs more room. */
const MIN_ARENA_BYTES = 64 * 1024;

/**
 * Binary data in and out of one guest without copies inside the guest: buffers live in the instance's own WASM
 * heap, where the host writes and reads them directly. One memcpy per buffer each way, no JSON and no
 * per-element work. Owns the result arena and frees it on dispose.
 */
export class GuestMemory extends UsingDisposable {
  /**
   * Exchange area for results: host-malloc'd heap memory wrapped (without copying) as a guest ArrayBuffer that
   * only the prelude sees. The guest copies a result's binary parts into it; the host reads them straight out.
   */
  private arena: { handle: QuickJSHandle; ptr: number; size: number } | undefined;
  private disposed = false;
  /**
   * Buffers the host put into the guest during the current operation, with where their bytes lie in the heap: a
   * host function handed one of them (found by identity) reads its bytes in place instead of through QuickJS's
   * getArrayBuffer, which copies into a temporary. The handle held here keeps the buffer, and so the block,
   * alive; a guest cannot detach or resize it (the prelude removes transfer, and these are not resizable).
   */
  private tracked: { handle: QuickJSHandle; ptr: number; size: number }[] = [];

  constructor(
    private readonly quickjs: QuickJSWASMModule,
    private readonly context: QuickJSContext,
    private readonly memory: WasmMemory,
  ) {
    super();
  }

  get alive(): boolean {
    return !this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    this.releaseTracked(true);
    if (this.arena?.handle.alive) this.arena.handle.dispose();
    this.arena = undefined;
  }

  /**
   * Puts binary arguments into the guest: each is written into fresh heap memory that QuickJS then owns as an
   * ArrayBuffer (it frees the block when the buffer is collected), so the guest never shares memory with a
   * later call. Returns the list of those buffers (owned by `scope`), or undefined when there are none.
   */
  copyIn(buffers: readonly Uint8Array[], scope: Scope): QuickJSHandle {
    const ctx = this.context;
    if (buffers.length === 0) return ctx.undefined;
    const list = scope.manage(ctx.newArray());
    buffers.forEach((bytes, i) => {
      const { handle, ptr } = this.allocBuffer(bytes.byteLength);
      new Uint8Array(this.memory.buffer).set(bytes, ptr);
      this.track(handle, ptr, bytes.byteLength);
      handle.consume((buffer) => ctx.setProp(list, i, buffer));
    });
    return list;
  }

  /**
   * Remembers a buffer the host made for the current operation (see `tracked`). Only the first few: each is kept
   * alive until the operation ends and searched linearly, and a buffer not tracked is still read correctly.
   */
  track(handle: QuickJSHandle, ptr: number, size: number): void {
    if (this.tracked.length < MAX_TRACKED_BUFFERS) this.tracked.push({ handle: handle.dup(), ptr, size });
  }

  /** The heap bytes of `buffer` when it is one the host made during this operation, else undefined. */
  trackedBytes(buffer: QuickJSHandle): Uint8Array | undefined {
    for (const entry of this.tracked) {
      if (this.context.eq(entry.handle, buffer)) return new Uint8Array(this.memory.buffer, entry.ptr, entry.size);
    }
    return undefined;
  }

  /** Ends the operation's tracking; `free` false when the engine broke and no handle may be touched. */
  releaseTracked(free: boolean): void {
    if (free) for (const entry of this.tracked) if (entry.handle.alive) entry.handle.dispose();
    this.tracked = [];
  }

  /**
   * Has `fill` copy a result's binary parts into the arena (grown to `layout.total` first) and returns the
   * reader decodeFromGuest takes them out with: each part at most once, exactly as large as its checked size.
   */
  copyOut(layout: BinaryLayout, fill: (arena: QuickJSHandle) => void): GuestBufferReader {
    let base = 0;
    if (layout.total > 0) {
      const arena = this.ensureArena(layout.total);
      fill(arena.handle);
      base = arena.ptr;
    }
    const heap = new Uint8Array(this.memory.buffer);
    const taken = new Uint8Array(layout.sizes.length);
    return (index, byteOffset, byteLength) => {
      if (index >= layout.sizes.length) throw InvalidResult.forged(`it refers to binary part ${index}, which it did not send`);
      if (taken[index] !== 0) throw InvalidResult.forged(`it refers to binary part ${index} more than once`);
      const size = layout.sizes[index]!;
      if (byteOffset !== 0 || byteLength !== size) {
        throw InvalidResult.forged(`it reads ${byteLength} bytes at ${byteOffset} of binary part ${index}, which has ${size}`);
      }
      taken[index] = 1;
      const start = base + layout.offsets[index]!;
      return heap.slice(start, start + size);
    };
  }

  private ensureArena(bytes: number): { handle: QuickJSHandle; ptr: number } {
    if (this.arena !== undefined && this.arena.size >= bytes) return this.arena;
    const size = Math.max(bytes, MIN_ARENA_BYTES);
    const { handle, ptr } = this.allocBuffer(size);
    this.arena?.handle.dispose();
    this.arena = { handle, ptr, size };
    return this.arena;
  }

  /**
   * Mallocs `size` bytes in this instance's heap and wraps them as a guest ArrayBuffer. quickjs-emscripten's
   * public newArrayBuffer copies, and its getArrayBuffer copies into a temporary; the FFI's QTS_NewArrayBuffer
   * adopts the block instead, which is what makes frames cheap. Context internals (`ctx`, `memory`) are
   * protected fields; this is the one place that reaches them.
   */
  allocBuffer(size: number): { handle: QuickJSHandle; ptr: number } {
    const internals = this.context as unknown as {
      ctx: { value: number };
      memory: { heapValueHandle(ptr: number): QuickJSHandle };
    };
    const module = (this.quickjs as unknown as { module: { _malloc(n: number): number } }).module;
    const ptr = module._malloc(Math.max(size, 1));
    if (ptr === 0) throw new GuestHeapExhausted();
    const ffi = this.quickjs.getFFI();
    const value = ffi.QTS_NewArrayBuffer(internals.ctx.value as never, ptr as never, size);
    return { handle: internals.memory.heapValueHandle(value as unknown as number), ptr };
  }
}
