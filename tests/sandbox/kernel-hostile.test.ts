import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared';
import type { InProcessGuest } from '@remotemedia/edge-server/testing';
import { BadGuestArgument, compileQuickJSWasm, GuestViews, instantiateQuickJS } from '@remotemedia/edge-server/sandbox';
import { openInProcessGuest } from '../support/inProcessGuest.ts';

/**
 * Sandboxed code attacking the host kernels: every case runs in the real sandbox and reports what it caught.
 * Canary buffers allocated around the attacks must come out untouched: no kernel call may write outside the
 * buffers it was given.
 */
const HOSTILE = `import * as k from '@remotemedia/shared/kernels';
const host = globalThis.__remotemediaHostKernels;
const canaries = [];
for (let i = 0; i < 8; i++) canaries.push(new Uint8Array(4096).fill(0xab));
const rgba = (w, h) => new Uint8Array(w * h * 4).fill(100);
const caught = (fn) => { try { const r = fn(); return { ok: true, r }; } catch (e) { return { code: e.code, name: e.name, message: String(e.message) }; } };
const CASES = {
  hugeWidth: () => k.grayscale({ data: rgba(2, 2), width: 1e9, height: 1 }),
  negativeHeight: () => k.runKernel('grayscaleRgba', rgba(2, 2), rgba(2, 2), 2, -2),
  nanWidth: () => k.boxBlur3x3({ data: rgba(2, 2), width: NaN, height: 2 }),
  zeroWidth: () => k.sobel({ data: new Uint8Array(0), width: 0, height: 0 }),
  fractionalX: () => k.crop({ data: rgba(4, 4), width: 4, height: 4 }, { x: 0.5, y: 0, width: 2, height: 2 }),
  rectOutside: () => k.crop({ data: rgba(4, 4), width: 4, height: 4 }, { x: 3, y: 0, width: 2, height: 2 }),
  shortOutput: () => k.runKernel('grayscaleRgba', rgba(4, 4), new Uint8Array(8), 4, 4),
  lengthLies: () => k.runKernel('boxBlur3x3', rgba(2, 2), rgba(2, 2), 4096, 4096),
  outputTooBig: () => k.runKernel('resize', rgba(2, 2), 2, 2, new Uint8Array(10), 16384, 16384, 0),
  overlap: () => { const b = new Uint8Array(96); return k.runKernel('boxBlur3x3', b.subarray(0, 64), b.subarray(32, 96), 4, 4); },
  overlapSameForPointOp: () => { const b = rgba(4, 4); k.runKernel('grayscaleRgba', b, b, 4, 4); return b[0]; },
  wrongKind: () => k.runKernel('gain', new Uint8Array(8), new Float32Array(8), 2),
  int8: () => k.runKernel('grayscaleRgba', new Int8Array(16), rgba(2, 2), 2, 2),
  plainArray: () => k.runKernel('grayscaleRgba', [1, 2, 3, 4], rgba(1, 1), 1, 1),
  fakeView: () => k.runKernel('grayscaleRgba', { buffer: new ArrayBuffer(16), byteOffset: 0, byteLength: 1 << 30, length: 1 << 30 }, rgba(2, 2), 2, 2),
  arrayBuffer: () => k.runKernel('grayscaleRgba', new ArrayBuffer(16), rgba(2, 2), 2, 2),
  dataView: () => k.runKernel('grayscaleRgba', new DataView(new ArrayBuffer(16)), rgba(2, 2), 2, 2),
  stringNumber: () => k.runKernel('grayscaleRgba', rgba(2, 2), rgba(2, 2), '2', 2),
  objectNumber: () => k.runKernel('grayscaleRgba', rgba(2, 2), rgba(2, 2), { valueOf() { globalThis.ranValueOf = true; return 2; } }, 2),
  tooFewArguments: () => k.runKernel('grayscaleRgba', rgba(2, 2)),
  tooManyArguments: () => k.runKernel('gain', new Float32Array(2), new Float32Array(2), 1, 2),
  nanWeight: () => k.blend(rgba(1, 1), rgba(1, 1), NaN),
  infiniteTaps: () => k.convolve({ data: rgba(3, 3), width: 3, height: 3 }, [1, 1, 1, 1, Infinity, 1, 1, 1, 1]),
  fftNotPowerOfTwo: () => k.fftMagnitude(new Float32Array(1000)),
  resizedBuffer: () => {
    const ab = new ArrayBuffer(64, { maxByteLength: 128 });
    const view = new Uint8Array(ab, 0, 64);
    ab.resize(16);
    return k.runKernel('grayscaleRgba', view, rgba(4, 4), 4, 4);
  },
  grownTrackingView: () => {
    const ab = new ArrayBuffer(16, { maxByteLength: 128 });
    const view = new Uint8Array(ab);
    ab.resize(64);
    const out = rgba(4, 4);
    k.runKernel('grayscaleRgba', view, out, 4, 4);
    return out.length;
  },
  replaceHostTable: () => { globalThis.__remotemediaHostKernels = {}; return globalThis.__remotemediaHostKernels === host; },
  patchHostFunction: () => { host.gain = () => 'x'; return host.gain === undefined; },
};
export class Hostile {
  attack(name) { return caught(CASES[name]); }
  ranValueOf() { return globalThis.ranValueOf === true; }
  viewWithOffset() {
    // A view at an odd offset into a larger buffer: exactly its own bytes change.
    const whole = new Uint8Array(4 + 64 + 7).fill(60);
    const view = whole.subarray(3, 3 + 64);
    view[0] = 200;
    k.grayscale({ data: view, width: 4, height: 4 }, view);
    const gray = (200 * 77 + 60 * 150 + 60 * 29) >> 8;
    return { before: whole[2], first: whole[3], last: whole[3 + 63], after: whole[3 + 64], expected: gray };
  }
  canariesIntact() { return canaries.every((c) => c.every((b) => b === 0xab)); }
  spin(width, height) {
    // Kernel calls in a tight loop that swallows errors: the call's deadline must still end it.
    const image = { data: new Uint8Array(width * height), width, height };
    const out = new Uint8Array(width * height);
    for (;;) { try { k.boxBlur3x3(image, out); } catch {} }
  }
}`;

const KERNEL_ERROR = { code: ErrorCode.KernelInvalidArgument, name: 'RemoteMediaError' };

describe('host kernels refuse hostile arguments from sandboxed code, before any work, naming the argument', () => {
  let guest: InProcessGuest;
  beforeAll(async () => {
    guest = await openInProcessGuest({ sources: { 'hostile.js': HOSTILE }, entry: 'hostile.js', exportName: 'Hostile' });
  });
  afterAll(() => guest?.dispose());
  const attack = (name: string) => guest.call('attack', [name]) as { ok?: true; r?: unknown; code?: string; message?: string };

  it.each([
    ['hugeWidth', "grayscaleRgba: argument 'width' must be between 1 and 16384, got 1000000000"],
    ['negativeHeight', "grayscaleRgba: argument 'height' must be between 1 and 16384, got -2"],
    ['nanWidth', "boxBlur3x3: argument 'width' must be an integer, got NaN"],
    ['zeroWidth', "sobel: argument 'width' must be between 1 and 16384, got 0"],
    ['fractionalX', "crop: argument 'x' must be an integer, got 0.5"],
    ['rectOutside', "crop: argument 'cropWidth' must be between 1 and 1, got 2"],
    ['shortOutput', "grayscaleRgba: argument 'dst' must hold 64 elements, has 8"],
    ['lengthLies', "boxBlur3x3: argument 'src' must hold 4096x4096 gray (16777216 bytes) or rgba (67108864 bytes) pixels, has 16 bytes"],
    ['outputTooBig', "resize: argument 'dst' must hold 1073741824 elements, has 10"],
    ['overlap', "boxBlur3x3: argument 'dst' overlaps 'src'; pass a separate output buffer"],
    ['wrongKind', "gain: argument 'src' must be a Float32Array, got Uint8Array"],
    ['int8', "grayscaleRgba: argument 'src' must be a Uint8Array, got Int8Array"],
    ['plainArray', "grayscaleRgba: argument 'src' must be a Uint8Array, got Array"],
    ['fakeView', "grayscaleRgba: argument 'src' must be a Uint8Array, got Object"],
    ['arrayBuffer', "grayscaleRgba: argument 'src' must be a Uint8Array, got ArrayBuffer"],
    ['dataView', "grayscaleRgba: argument 'src' must be a Uint8Array, got DataView"],
    ['stringNumber', "grayscaleRgba: argument 'width' must be an integer, got string"],
    ['objectNumber', "grayscaleRgba: argument 'width' must be an integer, got Object"],
    ['tooFewArguments', 'grayscaleRgba: takes 4 arguments, got 1'],
    ['tooManyArguments', 'gain: takes 3 arguments, got 4'],
    ['nanWeight', "blend: argument 'weight' must be a finite number, got NaN"],
    ['infiniteTaps', "convolve: argument 'weights' holds Infinity at 4; weights must be finite"],
    ['fftNotPowerOfTwo', "fftMagnitude: argument 'src' must hold a power of two of samples from 2 to 65536, has 1000"],
    [
      'resizedBuffer',
      "grayscaleRgba: argument 'src' is a Uint8Array that no longer fits its ArrayBuffer (resized?): offset 0, 0 bytes, buffer 16 bytes",
    ],
  ])('%s', (name, message) => {
    expect(attack(name)).toEqual({ ...KERNEL_ERROR, message });
    expect(guest.call('canariesIntact', [])).toBe(true);
  });

  it('runs no guest code while reading arguments (a valueOf is never called)', () => {
    attack('objectNumber');
    expect(guest.call('ranValueOf', [])).toBe(false);
  });

  it('works in place for point operations, and on a view at an offset touches exactly its bytes', () => {
    expect(attack('overlapSameForPointOp')).toEqual({ ok: true, r: (100 * 77 + 100 * 150 + 100 * 29) >> 8 });
    const gray = (200 * 77 + 60 * 150 + 60 * 29) >> 8;
    expect(guest.call('viewWithOffset', [])).toEqual({ before: 60, first: gray, last: (60 * 256) >> 8, after: 60, expected: gray });
    expect(attack('grownTrackingView')).toEqual({ ok: true, r: 64 });
    expect(guest.call('canariesIntact', [])).toBe(true);
  });

  it('keeps the host table: it cannot be replaced or patched by user code', () => {
    expect(attack('replaceHostTable')).toMatchObject({ name: 'TypeError' });
    expect(attack('patchHostFunction')).toMatchObject({ name: 'TypeError' });
  });

  it('stops a loop of kernel calls at the call deadline even when the guest swallows every error', async () => {
    const spinner = await openInProcessGuest({
      sources: { 'hostile.js': HOSTILE },
      entry: 'hostile.js',
      exportName: 'Hostile',
      limits: { callTimeoutMs: 50 },
    });
    try {
      expect(() => spinner.call('spin', [2048, 2048])).toThrow(
        expect.objectContaining({ payload: expect.objectContaining({ code: ErrorCode.SandboxTimeout }) }),
      );
    } finally {
      spinner.dispose();
    }
  });
});

describe('GuestViews: how the host reads a guest typed array', () => {
  it('refuses a view of a detached buffer (guests cannot detach: the prelude removes transfer; a bare QuickJS can)', async () => {
    const { quickjs, memory } = await instantiateQuickJS(await compileQuickJSWasm(), 256);
    const context = quickjs.newContext();
    const handle = context.unwrapResult(context.evalCode('const b = new ArrayBuffer(16); const u = new Uint8Array(b); b.transfer(32); u'));
    const views = new GuestViews(memory);
    const result = views.view(handle, 'u8');
    expect(result).toBeInstanceOf(BadGuestArgument);
    expect((result as BadGuestArgument).problem).toBe('is a view of a detached ArrayBuffer');
    handle.dispose();
    context.dispose();
  });
});
