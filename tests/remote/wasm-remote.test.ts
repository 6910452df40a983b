import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createVideoFrame, ErrorCode, packFile, type RemoteSession, type VideoFrameData } from '@remotemedia/browser-sdk/node';
import { boxBlurRgba, grayscaleRgba } from '../bench/compute/pixelReference.ts';
import { HostileWasm } from '../fixtures/wasm/HostileWasm.ts';
import { PixelsWasm } from '../fixtures/wasm/PixelsWasm.ts';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { firstDifference } from '../support/firstDifference.ts';
import { remoteRejection } from '../support/remoteRejection.ts';
import { buildWasmFixtures, WASM_FIXTURES } from '../support/wasmFixtures.ts';

describe('remote(): a class that loads its own WebAssembly, shipped to a real edge process', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;
  let bystander: RemoteSession;

  beforeAll(async () => {
    await buildWasmFixtures();
    edge = await startEdge(['--sandbox-call-timeout-ms', '500']);
    session = await connect(edge.url);
    bystander = await connect(edge.url);
  });
  afterAll(async () => {
    session?.close();
    bystander?.close();
    await edge?.stop();
  });

  it('gives the same frames as the JavaScript reference and as the class run locally, and keeps module state', async () => {
    const remote = await session.remote<PixelsWasm>(PixelsWasm);
    const local = new PixelsWasm();
    const frame = createVideoFrame({ width: 160, height: 120, format: 'rgba' });
    for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 13 + (i >> 8)) & 255;
    const gray = frame.data.slice();
    grayscaleRgba(gray);
    const blurred = new Uint8Array(frame.data.length);
    boxBlurRgba(frame.data, blurred, frame.width, frame.height);
    const remoteGray = (await remote.process(frame)) as VideoFrameData;
    expect(firstDifference(remoteGray.data, gray)).toBe(-1);
    expect(firstDifference((await local.process(structuredClone(frame))).data, gray)).toBe(-1);
    expect(firstDifference(((await remote.blur(frame)) as VideoFrameData).data, blurred)).toBe(-1);
    expect(await remote.bump()).toBe(1);
    expect(await remote.bump()).toBe(2);
    expect(await remote.add(20, 22)).toBe(42);
    // The edge's package cache counts the binary (as base64) and /status counts the module's memory.
    const pkg = await packFile(new URL('PixelsWasm.ts', WASM_FIXTURES), 'PixelsWasm');
    const wasmBytes = pkg.manifest.wasm!.reduce((sum, file) => sum + file.size, 0);
    const status = (await (await fetch(`${edge.url}/status`)).json()) as {
      packages: Array<{ id: string; bytes: number }>;
      sandboxes: Array<{ nodeName: string; memoryBytes: number | null }>;
    };
    expect(status.packages.find((p) => p.id === pkg.id)?.bytes).toBe(pkg.manifest.totalSize + Math.ceil((wasmBytes * 4) / 3));
    expect(status.sandboxes.find((s) => s.nodeName === 'PixelsWasm')?.memoryBytes).toBeGreaterThan(160 * 120 * 4 * 4);
    await remote.$dispose();
  });

  it('ends a stuck module with SANDBOX_TIMEOUT and a trap with WASM_TRAP for that node; another session keeps running', async () => {
    const other = await bystander.remote<PixelsWasm>(PixelsWasm);
    expect(await other.bump()).toBe(1);
    const hostile = await session.remote<HostileWasm>(HostileWasm);
    const trap = await remoteRejection(hostile.unreachable(), ErrorCode.WasmTrap);
    expect(trap.message).toMatch(/trap\.wasm\.unreachable trapped: unreachable/);
    await remoteRejection(hostile.loop(), ErrorCode.SandboxTimeout);
    expect(await other.bump()).toBe(2);
    expect(await other.add(1, 2)).toBe(3);
    const fresh = await session.remote<HostileWasm>(HostileWasm);
    const refused = await remoteRejection(fresh.wasi(), ErrorCode.WasmInvalidModule);
    expect(refused.message).toMatch(/imports function "wasi_snapshot_preview1\.fd_write", which the host does not provide/);
  });
});
