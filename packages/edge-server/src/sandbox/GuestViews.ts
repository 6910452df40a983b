import type { QuickJSHandle } from 'quickjs-emscripten-core';
import { ForeignValue, type KernelArgKind } from '@remotemedia/shared/kernels';
import type { WasmMemory } from './quickjsWasm.ts';

/**
 * Where a guest's typed arrays lie in its WASM memory, read from QuickJS's own structures, so a host kernel works
 * on them in place. The guest never names an address: it passes its typed array, and the host follows the
 * engine's pointers from that value. Every address read is checked against the memory's size, and the array's
 * range against its ArrayBuffer's current length, before a view is made; the memory is the guest's own (one
 * QuickJS instance per WASM memory, which cannot grow), so no view can reach anything of the host or another guest.
 *
 * The offsets below are those of the pinned QuickJS build (@jitl/quickjs-wasmfile-release-sync, Bellard's
 * quickjs 2025-09-13, wasm32 with NaN-boxing). verifyGuestViews() checks them against live objects once per process;
 * if a build changes them, kernels fail with a clear error rather than read the wrong words.
 */

/** JSValue: payload (pointer or int32) in the low word, tag in the high word. */
const TAG_OBJECT = -1;
const TAG_INT = 0;
const TAG_FIRST = -9;
const TAG_FLOAT64 = 8;
/** NaN-boxing stores a double with this added to its high word. */
const FLOAT64_TAG_ADDEND = 0x7ff80000 - TAG_FIRST + 1;
const TAG_NAMES: Record<number, string> = {
  [-9]: 'bigint',
  [-8]: 'symbol',
  [-7]: 'string',
  [-6]: 'string',
  1: 'boolean',
  3: 'undefined',
};

/** JSObject fields (after the 16-byte GC header, shape, prop and weak-ref words). */
const OBJ_CLASS_ID = 6;
const OBJ_TYPED_ARRAY = 32;
const OBJ_ARRAY_BUFFER = 32;
const OBJ_DATA = 36;
const OBJ_COUNT = 40;
const OBJ_SIZE = 44;
/** JSTypedArray fields (after its 8-byte list link). */
const TA_OBJ = 8;
const TA_BUFFER = 12;
const TA_OFFSET = 16;
const TA_SIZE = 24;
/** JSArrayBuffer fields. */
const AB_BYTE_LENGTH = 0;
const AB_DETACHED = 8;
const AB_DATA = 12;
const AB_SIZE = 16;

type View = Uint8Array | Uint32Array | Float32Array | Float64Array;
interface ViewKind {
  classId: number;
  ctor: { new (buffer: ArrayBuffer, byteOffset: number, length: number): View; BYTES_PER_ELEMENT: number; name: string };
}
/** QuickJS class ids of the typed arrays kernels take. */
const KINDS: Record<Exclude<KernelArgKind, 'number'>, ViewKind> = {
  u8: { classId: 23, ctor: Uint8Array },
  u32: { classId: 27, ctor: Uint32Array },
  f32: { classId: 31, ctor: Float32Array },
  f64: { classId: 32, ctor: Float64Array },
};

/** An argument the host cannot use, with what is wrong with it (the kernel's caller gets it as an error). */
export class BadGuestArgument {
  constructor(readonly problem: string) {}
}

export class GuestViews {
  private readonly heap: DataView;
  private readonly size: number;
  private readonly scratch = new DataView(new ArrayBuffer(8));

  constructor(private readonly memory: WasmMemory) {
    // The memory cannot grow (maximum === initial), so its buffer is never replaced or detached.
    this.heap = new DataView(memory.buffer);
    this.size = memory.buffer.byteLength;
  }

  /** The argument as the host passes it to a kernel: a view over guest memory, a number, or a BadGuestArgument. */
  read(handle: QuickJSHandle, kind: KernelArgKind): View | number | ForeignValue | BadGuestArgument {
    return kind === 'number' ? this.number(handle) : this.view(handle, kind);
  }

  /**
   * A number argument, decoded from the JSValue without running guest code (no valueOf). Anything else becomes
   * a ForeignValue naming its type, which the kernel's own check then rejects by name.
   */
  number(handle: QuickJSHandle): number | ForeignValue {
    const at = this.valueAddress(handle);
    const low = this.heap.getUint32(at, true);
    const tag = this.heap.getInt32(at + 4, true);
    if (tag === TAG_INT) return low | 0;
    if ((tag - TAG_FIRST) >>> 0 >= TAG_FLOAT64 - TAG_FIRST) {
      this.scratch.setUint32(0, low, true);
      this.scratch.setUint32(4, (tag + FLOAT64_TAG_ADDEND) >>> 0, true);
      return this.scratch.getFloat64(0, true);
    }
    return new ForeignValue(this.describeValue(at));
  }

  /** A view of the guest typed array's own bytes, or why it cannot be used. */
  view(handle: QuickJSHandle, kind: Exclude<KernelArgKind, 'number'>): View | BadGuestArgument {
    const { classId, ctor } = KINDS[kind];
    const at = this.valueAddress(handle);
    const wanted = `must be a ${ctor.name}`;
    if (this.heap.getInt32(at + 4, true) !== TAG_OBJECT) return new BadGuestArgument(`${wanted}, got ${this.describeValue(at)}`);
    const obj = this.heap.getUint32(at, true);
    if (!this.inside(obj, OBJ_SIZE)) return new BadGuestArgument(`${wanted} (its object lies outside the sandbox memory)`);
    if (this.heap.getUint16(obj + OBJ_CLASS_ID, true) !== classId) return new BadGuestArgument(`${wanted}, got ${this.describeValue(at)}`);
    const data = this.heap.getUint32(obj + OBJ_DATA, true);
    const count = this.heap.getUint32(obj + OBJ_COUNT, true);
    const ta = this.heap.getUint32(obj + OBJ_TYPED_ARRAY, true);
    if (!this.inside(ta, TA_SIZE) || this.heap.getUint32(ta + TA_OBJ, true) !== obj)
      return new BadGuestArgument(`${wanted} (its typed-array record does not point back at it)`);
    const bufferObj = this.heap.getUint32(ta + TA_BUFFER, true);
    if (!this.inside(bufferObj, OBJ_SIZE)) return new BadGuestArgument(`${wanted} (its buffer lies outside the sandbox memory)`);
    const ab = this.heap.getUint32(bufferObj + OBJ_ARRAY_BUFFER, true);
    if (!this.inside(ab, AB_SIZE)) return new BadGuestArgument(`${wanted} (its buffer record lies outside the sandbox memory)`);
    if (this.heap.getUint8(ab + AB_DETACHED) !== 0) return new BadGuestArgument('is a view of a detached ArrayBuffer');
    const bufferBytes = this.heap.getInt32(ab + AB_BYTE_LENGTH, true);
    const bufferData = this.heap.getUint32(ab + AB_DATA, true);
    const offset = this.heap.getUint32(ta + TA_OFFSET, true);
    const bytes = count * ctor.BYTES_PER_ELEMENT;
    // The element pointer and count must agree with the buffer's record as it is now (a shrunk resizable buffer
    // leaves an out-of-bounds view with count 0 or an offset past its end).
    if (bufferBytes < 0 || data !== bufferData + offset || offset + bytes > bufferBytes) {
      return new BadGuestArgument(
        `is a ${ctor.name} that no longer fits its ArrayBuffer (resized?): offset ${offset}, ${bytes} bytes, buffer ${bufferBytes} bytes`,
      );
    }
    if (bytes > 0 && (!this.inside(data, bytes) || data % ctor.BYTES_PER_ELEMENT !== 0)) {
      return new BadGuestArgument(`${wanted} whose bytes lie inside the sandbox memory`);
    }
    return new ctor(this.memory.buffer, bytes > 0 ? data : 0, count);
  }

  /** Address of the JSValue a handle points at (the handle itself is host-made, but checked all the same). */
  private valueAddress(handle: QuickJSHandle): number {
    const at = handle.value as unknown as number;
    if (!this.inside(at, 8)) throw new Error('a QuickJS value handle points outside the sandbox memory');
    return at;
  }

  private inside(address: number, length: number): boolean {
    return Number.isInteger(address) && address > 0 && address + length <= this.size;
  }

  /** What a value is, as a message names it: an object by its class, anything else by its type. */
  private describeValue(at: number): string {
    const tag = this.heap.getInt32(at + 4, true);
    if (tag === TAG_INT || (tag - TAG_FIRST) >>> 0 >= TAG_FLOAT64 - TAG_FIRST) return 'number';
    if (tag === TAG_OBJECT) {
      const obj = this.heap.getUint32(at, true);
      return this.inside(obj, OBJ_SIZE) ? describeClass(this.heap.getUint16(obj + OBJ_CLASS_ID, true)) : 'object';
    }
    return tag === 2 ? 'null' : (TAG_NAMES[tag] ?? 'another value');
  }
}

const CLASS_NAMES: Record<number, string> = {
  1: 'Object',
  2: 'Array',
  12: 'Function',
  13: 'Function',
  14: 'Function',
  19: 'ArrayBuffer',
  21: 'Uint8ClampedArray',
  22: 'Int8Array',
  23: 'Uint8Array',
  24: 'Int16Array',
  25: 'Uint16Array',
  26: 'Int32Array',
  27: 'Uint32Array',
  28: 'BigInt64Array',
  29: 'BigUint64Array',
  30: 'Float16Array',
  31: 'Float32Array',
  32: 'Float64Array',
  33: 'DataView',
};

function describeClass(cls: number): string {
  return CLASS_NAMES[cls] ?? 'another object';
}
