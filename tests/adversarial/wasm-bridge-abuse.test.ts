import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packSources } from '@remotemedia/browser-sdk/packager';
import { ErrorCode } from '@remotemedia/shared/errors';
import { SandboxPool, type NodeSandbox } from '@remotemedia/edge-server/sandbox';
import { remoteRejection } from '../support/remoteRejection.ts';
import { watToWasm } from '../support/wasmFixtures.ts';

/** One page of memory with a recognisable byte at 0 and a function to read a byte back. */
const MODULE = `(module
  (memory (export "memory") 1 2)
  (data (i32.const 0) "\\2a")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))`;

/**
 * Guest code that skips loadWasm's wrapper and calls the host bridge with whatever it likes: ids, offsets and
 * lengths it made up, things that are not buffers, a view pointing past its buffer. loadWasm('./mod.wasm') is
 * written once so the packager ships the binary.
 */
const ABUSER = `import { loadWasm } from '@remotemedia/shared';
const bridge = globalThis.__remotemediaWasm;
export class Abuser {
  async open() { this.ok = true; return (await loadWasm('./mod.wasm', import.meta.url)).functions; }
  raw(method, ...args) { return bridge[method](...args); }
  peekAfterWrite(bytes) { const id = JSON.parse(bridge.load('./mod.wasm')).id; bridge.write(id, 100, bytes.buffer, bytes.byteOffset, bytes.byteLength); return bridge.call(id, 'peek', 100); }
  readIntoOwn() { const id = JSON.parse(bridge.load('./mod.wasm')).id; const own = new Uint8Array(4); bridge.readInto(id, 0, own.buffer, 0, 4); return [...own]; }
  readIntoInput(bytes, at, length) { const id = JSON.parse(bridge.load('./mod.wasm')).id; bridge.readInto(id, 0, bytes.buffer, at, length); return bytes; }
  writeOwnBuffer() { const id = JSON.parse(bridge.load('./mod.wasm')).id; const own = new Uint8Array([7, 8, 9]); bridge.write(id, 5, own.buffer, 1, 2); return [bridge.call(id, 'peek', 5), bridge.call(id, 'peek', 6)]; }
  replaceBridge() { try { globalThis.__remotemediaWasm = null; } catch (e) { return e.name; } return typeof globalThis.__remotemediaWasm; }
  loadMany() { for (let i = 0; i < 100; i++) bridge.load('./mod.wasm'); }
  forge(message) { const e = new Error(message); e.name = 'RemoteMediaError'; throw e; }
}`;

describe('the WebAssembly host bridge called with hostile arguments', () => {
  let pool: SandboxPool;
  let node: NodeSandbox;
  let other: NodeSandbox;

  beforeAll(async () => {
    pool = new SandboxPool({ workers: 1 });
    const wasm = await watToWasm('mod.wat', MODULE);
    node = await pool.create({
      pkg: await packSources({ sources: { 'abuser.js': ABUSER, 'mod.wasm': wasm }, entry: 'abuser.js', exportName: 'Abuser' }),
      nodeName: 'Abuser',
    });
    other = await pool.create({
      pkg: await packSources({ sources: { 'abuser.js': ABUSER, 'mod.wasm': wasm }, entry: 'abuser.js', exportName: 'Abuser' }),
      nodeName: 'Other',
    });
    expect(await node.call('open', [])).toEqual(['peek']);
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('refuses every made-up id, offset, length and buffer with WASM_BAD_ARGUMENT, naming the argument', async () => {
    const cases: [unknown[], RegExp][] = [
      [['call', 99, 'peek', 0], /no WebAssembly module has id 99/],
      [['call', '0', 'peek', 0], /no WebAssembly module has id NaN/],
      [['call', 0.5, 'peek', 0], /no WebAssembly module has id 0\.5/],
      [['call', 0, 'peek', 'x'], /argument 0 must be a number/],
      [['call', 0, 42, 0], /name must be a string/],
      [['read', 0, -1, 4], /offset must be a non-negative integer, got -1/],
      [['read', 0, 0, 2 ** 40], /1099511627776 bytes at offset 0 do not fit in the module's memory of 65536 bytes/],
      [['read', 0, 65535, 2], /2 bytes at offset 65535 do not fit in the module's memory of 65536 bytes/],
      [['read', 0, Number.NaN, 1], /offset must be a non-negative integer, got NaN/],
      [['write', 0, 0, { byteLength: 4 }, 0, 4], /bytes must be an ArrayBuffer or a typed array/],
      [['write', 0, 0, 'abcd', 0, 4], /bytes must be an ArrayBuffer or a typed array/],
      [['write', 0, 65534, new ArrayBuffer(0), 0, 4], /4 bytes at offset 65534 do not fit/],
      [['memoryBytes', -1], /no WebAssembly module has id -1/],
    ];
    for (const [args, message] of cases) {
      const error = await remoteRejection(node.call('raw', args), ErrorCode.WasmBadArgument);
      expect(error.message, JSON.stringify(args)).toMatch(message);
    }
    // A view whose range lies past its own buffer is refused before any byte moves.
    const error = await remoteRejection(node.call('raw', ['write', 0, 0, new ArrayBuffer(8), 4, 8]), ErrorCode.WasmBadArgument);
    expect(error.message).toMatch(/write: 8 bytes at 4 are not inside the 8-byte buffer passed/);
    expect(await node.call('raw', ['call', 0, 'peek', 0])).toBe(42);
  });

  it('copies a frame the host passed in place, and a buffer the guest made through a checked copy', async () => {
    expect(await node.call('peekAfterWrite', [Uint8Array.of(1, 2, 3, 200).subarray(3)])).toBe(200);
    expect(await node.call('writeOwnBuffer', [])).toEqual([8, 9]);
  });

  it('reads into an input’s bytes in place, within their bounds, and refuses any other target', async () => {
    expect(await node.call('readIntoInput', [new Uint8Array(4), 1, 2])).toEqual(Uint8Array.of(0, 42, 0, 0));
    const past = await remoteRejection(node.call('readIntoInput', [new Uint8Array(4), 3, 2]), ErrorCode.WasmBadArgument);
    expect(past.message).toMatch(/readInto: 2 bytes at 3 are not inside the 4-byte buffer passed/);
    const own = await remoteRejection(node.call('readIntoOwn', []), ErrorCode.WasmBadArgument);
    expect(own.message).toMatch(/readInto: the target must be the data of an input of this call or a buffer read\(\) returned/);
  });

  it('keeps the bridge fixed on the global object, caps loads per sandbox, and leaves forged errors as USER_ERROR', async () => {
    expect(await node.call('replaceBridge', [])).toBe('TypeError');
    const tooMany = await remoteRejection(node.call('loadMany', []), ErrorCode.WasmLimitExceeded);
    expect(tooMany.message).toMatch(/a sandbox may load at most 16 WebAssembly modules/);
    const forged = await remoteRejection(node.call('forge', ['a sandbox may load at most 16 WebAssembly modules']), ErrorCode.UserError);
    expect(forged.remoteName).toBe('RemoteMediaError');
    const load = await remoteRejection(node.call('raw', ['load', '../../etc/passwd.wasm']), ErrorCode.ModuleNotFound);
    expect(load.message).toMatch(/loadWasm\('\.\.\/\.\.\/etc\/passwd\.wasm'\): the package has no WebAssembly binary for it/);
    expect(await other.call('open', [])).toEqual(['peek']);
    expect(await other.call('raw', ['call', 0, 'peek', 0])).toBe(42);
  });
});
