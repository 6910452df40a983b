import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFile, packSources } from '@remotemedia/browser-sdk/node';
import { createVideoFrame, ErrorCode, type VideoFrameData } from '@remotemedia/shared';
import { WASM_MAX_MODULE_BYTES } from '@remotemedia/shared/wasm';
import { SandboxPool, type ConsoleEntry, type NodeSandbox } from '@remotemedia/edge-server/sandbox';
import { boxBlurRgba, grayscaleRgba } from '../bench/compute/pixelReference.ts';
import { HostileWasm } from '../fixtures/wasm/HostileWasm.ts';
import { PixelsWasm } from '../fixtures/wasm/PixelsWasm.ts';
import { firstDifference } from '../support/firstDifference.ts';
import { remoteRejection } from '../support/remoteRejection.ts';
import { buildWasmFixtures, watToWasm, WASM_FIXTURES } from '../support/wasmFixtures.ts';

function testFrame(width: number, height: number, seed: number): VideoFrameData {
  const frame = createVideoFrame({ width, height, format: 'rgba' });
  for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 31 + seed * 7 + (i >> 7)) & 255;
  return frame;
}

const grayReference = (frame: VideoFrameData): Uint8Array => {
  const copy = frame.data.slice();
  grayscaleRgba(copy);
  return copy;
};
const blurReference = (frame: VideoFrameData): Uint8Array => {
  const out = new Uint8Array(frame.data.length);
  boxBlurRgba(frame.data, out, frame.width, frame.height);
  return out;
};

describe('user WebAssembly: a node’s own .wasm, run by V8 beside its QuickJS sandbox', () => {
  let pool: SandboxPool;
  const consoleLines: ConsoleEntry[] = [];
  let pixels: NodeSandbox;

  beforeAll(async () => {
    await buildWasmFixtures();
    pool = new SandboxPool({ workers: 1, limits: { callTimeoutMs: 1000 } });
    const pkg = await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm');
    pixels = await pool.create({ pkg, nodeName: 'PixelsWasm', onConsole: (entry) => consoleLines.push(entry) });
  });
  afterAll(async () => {
    await pool?.close();
  });

  const hostile = async (): Promise<NodeSandbox> =>
    pool.create({ pkg: await packFile(new URL('HostileWasm.ts', WASM_FIXTURES), 'HostileWasm'), nodeName: 'HostileWasm' });

  it('gives grayscale, blur and add results equal to the JavaScript reference, in the sandbox and run locally', async () => {
    const local = new PixelsWasm();
    for (const [width, height] of [
      [4, 3],
      [64, 48],
      [320, 240],
    ] as const) {
      const frame = testFrame(width, height, width);
      const [gray] = (await pixels.process(frame)) as VideoFrameData[];
      expect(firstDifference(gray!.data, grayReference(frame))).toBe(-1);
      expect({ ...gray!, data: undefined }).toEqual({ ...frame, data: undefined });
      expect(firstDifference((await local.process(structuredClone(frame))).data, grayReference(frame))).toBe(-1);
      const blurred = (await pixels.call('blur', [frame])) as VideoFrameData;
      expect(firstDifference(blurred.data, blurReference(frame))).toBe(-1);
      expect(firstDifference((await local.blur(structuredClone(frame))).data, blurReference(frame))).toBe(-1);
    }
    expect(await pixels.call('add', [40, 2])).toBe(42);
    expect(await local.add(40, 2)).toBe(42);
    expect(await pixels.call('add', [2 ** 31 - 1, 1])).toBe(-(2 ** 31));
  });

  it('keeps the module’s state across calls, leaves it out of snapshots, and counts its memory', async () => {
    const sandbox = await pool.create({ pkg: await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm'), nodeName: 'PixelsWasm' });
    expect(await sandbox.call('bump', [])).toBe(1);
    expect(await sandbox.call('bump', [])).toBe(2);
    expect(await sandbox.call('bump', [])).toBe(3);
    expect(await sandbox.snapshot()).toEqual({});
    expect(await sandbox.call('functions', [])).toEqual(['hello', 'add', 'bump', 'reserve', 'grayscale', 'blur']);
    const before = await sandbox.memoryUsage();
    await sandbox.process(testFrame(640, 480, 1));
    expect(await sandbox.call('memoryBytes', [])).toBeGreaterThanOrEqual(640 * 480 * 4);
    expect((await sandbox.memoryUsage()) - before).toBeGreaterThanOrEqual(640 * 480 * 4 - 65536);
    await sandbox.dispose();
  });

  it('passes env.log text to the node’s console', async () => {
    consoleLines.length = 0;
    await pixels.call('hello', []);
    expect(consoleLines).toContainEqual({ level: 'log', text: '[wasm pixels.wasm] pixels ready' });
  });

  it('refuses hostile modules with a code and message each; the node stays usable and other sandboxes keep running', async () => {
    const cases: [string, unknown[], string, RegExp][] = [
      ['hugeMemory', [], ErrorCode.WasmLimitExceeded, /memory may grow to 65536 pages; there are 512 pages \(33554432 bytes\) left/],
      ['unboundedMemory', [], ErrorCode.WasmLimitExceeded, /declares no maximum, so it could grow without bound/],
      ['hugeTable', [], ErrorCode.WasmLimitExceeded, /table 0 declares 1000000 entries .* at most 10000/],
      ['unreachable', [], ErrorCode.WasmTrap, /trap\.wasm\.unreachable trapped: unreachable/],
      ['outOfBounds', [], ErrorCode.WasmTrap, /trap\.wasm\.outOfBounds trapped: memory access out of bounds/],
      ['wasi', [], ErrorCode.WasmInvalidModule, /imports function "wasi_snapshot_preview1\.fd_write", which the host does not provide/],
      ['malformed', [], ErrorCode.WasmInvalidModule, /malformed\.wasm is not a valid WebAssembly module: WebAssembly\.Module\(\)/],
      ['readPastEnd', [], ErrorCode.WasmBadArgument, /read: 4 bytes at offset 65534 do not fit in the module's memory of 65536 bytes/],
      ['callMissing', [], ErrorCode.WasmBadArgument, /has no exported function "nope"; it has: unreachable, outOfBounds/],
    ];
    const node = await hostile();
    const local = new HostileWasm() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const [method, args, code, message] of cases) {
      const error = await remoteRejection(node.call(method, args), code);
      expect(error.message, method).toMatch(message);
      expect(error.method).toBe(method);
      // Locally the same rules give the same code.
      await expect(local[method]!(...args), method).rejects.toMatchObject({ code });
      expect(await pixels.call('add', [1, 1])).toBe(2);
    }
    expect(await node.call('caught', [])).toEqual({ name: 'RemoteMediaError', code: ErrorCode.WasmTrap, after: 65536 });
    await node.dispose();
  });

  it('stops memory.grow at the declared maximum, and gives an imported memory the sandbox’s budget as maximum', async () => {
    const node = await hostile();
    // Each call loads a fresh instance of grow.wasm (1 page, at most 4).
    expect(await node.call('grow', [3])).toEqual({ result: 1, bytes: 4 * 65536 });
    expect(await node.call('grow', [4])).toEqual({ result: -1, bytes: 65536 });
    expect(await node.call('growImported', [100_000])).toEqual({ result: -1, pages: 1 });
    // The imported memory took the rest of the 32 MiB budget: nothing more fits.
    const error = await remoteRejection(node.call('grow', [0]), ErrorCode.WasmLimitExceeded);
    expect(error.message).toMatch(/memory starts at 1 pages; there are 0 pages \(0 bytes\) left for this sandbox's WebAssembly/);
    await node.dispose();
  });

  it('ends a module stuck in a loop with SANDBOX_TIMEOUT for that node only; a bystander on the worker comes back', async () => {
    const stuckPool = new SandboxPool({ workers: 1, limits: { callTimeoutMs: 300 }, watchdogGraceMs: 300 });
    try {
      const bystander = await stuckPool.create({
        pkg: await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm'),
        nodeName: 'PixelsWasm',
      });
      expect(await bystander.call('add', [1, 2])).toBe(3);
      const node = await stuckPool.create({ pkg: await packFile(new URL('HostileWasm.ts', WASM_FIXTURES), 'HostileWasm'), nodeName: 'HostileWasm' });
      const error = await remoteRejection(node.call('loop', []), ErrorCode.SandboxTimeout);
      expect(error.message).toMatch(/^loop did not finish within 300 ms and did not stop when interrupted .* its worker was stopped after \d+ ms/);
      await remoteRejection(node.call('grow', [0]), ErrorCode.SandboxDiscarded);
      expect(await bystander.call('add', [2, 3])).toBe(5);
      const frame = testFrame(32, 24, 3);
      expect(((await bystander.process(frame)) as VideoFrameData[])[0]!.data).toEqual(grayReference(frame));
    } finally {
      await stuckPool.close();
    }
  });

  it('refuses a module over the size limit on the host, whatever the package says', async () => {
    const big = new Uint8Array(WASM_MAX_MODULE_BYTES + 1);
    big.set(await watToWasm('empty.wat', '(module)'));
    const source = `import { loadWasm } from '@remotemedia/shared';
      export class Big { async load() { return (await loadWasm('./big.wasm', import.meta.url)).functions; } }`;
    // Packed under the limit, then swapped for the large binary: the edge checks again.
    const pkg = await packSources({ sources: { 'big.js': source, 'big.wasm': new Uint8Array(8) }, entry: 'big.js', exportName: 'Big' });
    const swapped = { ...pkg, wasm: { 'big.wasm': Buffer.from(big).toString('base64') } };
    const node = await pool.create({ pkg: swapped, nodeName: 'Big' });
    const error = await remoteRejection(node.call('load', []), ErrorCode.WasmLimitExceeded);
    expect(error.message).toBe(
      `big.wasm is ${WASM_MAX_MODULE_BYTES + 1} bytes; a WebAssembly module may be at most ${WASM_MAX_MODULE_BYTES} bytes (in Big.load)`,
    );
    await node.dispose();
  });

  it('refuses a binary that does not match its hash, so it can never enter the worker’s compiled-module cache', async () => {
    const source = `import { loadWasm } from '@remotemedia/shared';
      export class Add { async add(a, b) { return (await loadWasm('./add.wasm', import.meta.url)).call('add', a, b); } }`;
    const add = await watToWasm('add.wat', '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))');
    const sub = await watToWasm('sub.wat', '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub))');
    const pkg = await packSources({ sources: { 'add.js': source, 'add.wasm': add }, entry: 'add.js', exportName: 'Add' });
    const forged = await pool.create({ pkg: { ...pkg, wasm: { 'add.wasm': Buffer.from(sub).toString('base64') } }, nodeName: 'Add' });
    const error = await remoteRejection(forged.call('add', [5, 3]), ErrorCode.PackageIntegrity);
    expect(error.message).toBe('the WebAssembly binary add.wasm does not match its SHA-256 in the manifest (in Add.add)');
    const honest = await pool.create({ pkg, nodeName: 'Add' });
    expect(await honest.call('add', [5, 3])).toBe(8);
  });
});
