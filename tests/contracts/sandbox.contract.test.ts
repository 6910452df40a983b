// One contract for user nodes in a sandbox, whoever hosts it: the same behaviours, asserted the same way, on a
// SandboxPool in this process and on a real edge process reached through the Node SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, packSources, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { SandboxPool } from '@remotemedia/edge-server/sandbox';
import { ErrorCode, RemoteError, RemoteMediaError } from '@remotemedia/shared/errors';
import { createAudioFrame, createVideoFrame, type AudioFrameData, type VideoFrameData } from '@remotemedia/shared/frames';
import { singleModule } from '../fixtures/sandbox/makePackage.ts';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { prng } from '../support/prng.ts';
import { remoteRejection } from '../support/remoteRejection.ts';

/** The same limits for both hosts: the in-process pool's options and the edge's flags say the same thing. */
// Long enough for a first call that sets a fresh sandbox up on a machine loaded by parallel work (a 300 ms
// limit failed there), short enough that the runaway-loop case stays quick.
const CALL_TIMEOUT_MS = 1000;
const STACK_KB = 256;
const MEMORY_MB = 32;

const PROBE = `export class Probe {
  constructor(start) { this.total = start; this.history = new Map(); }
  add(n) { this.total += n; this.history.set(this.history.size, this.total); return this.total; }
  steps() { return [...this.history.entries()]; }
  spin() { for (;;) {} }
  hog() { const keep = []; for (;;) keep.push(new Uint8Array(1 << 20)); }
  recurse(n) { return this.recurse(n + 1) + 1; }
  process(frame) {
    if (frame.kind === 'audio') { const s = frame.samples; for (let i = 0; i < s.length; i++) s[i] = s[i] * 0.5; return frame; }
    const d = frame.data;
    for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    return frame;
  }
}`;

/** One deployed instance of a user node, as its host exposes it. */
interface GuestNode {
  call(method: string, ...args: unknown[]): Promise<unknown>;
  process(item: unknown): Promise<unknown[]>;
  dispose(): Promise<void>;
}

/** A place user nodes run: started once per suite, deploys Probe instances, counts its live sandboxes. */
interface SandboxHost {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  deployProbe(start: number): Promise<GuestNode>;
  liveSandboxes(): Promise<number>;
}

function inProcessHost(): SandboxHost {
  let pool: SandboxPool | undefined;
  const running = (): SandboxPool => {
    if (pool === undefined) throw new Error('host not started');
    return pool;
  };
  return {
    name: 'SandboxPool in this process',
    async start() {
      pool = new SandboxPool({
        workers: 1,
        limits: { callTimeoutMs: CALL_TIMEOUT_MS, stackBytes: STACK_KB * 1024, memoryBytes: MEMORY_MB * 1024 * 1024 },
      });
    },
    async stop() {
      await pool?.close();
    },
    async deployProbe(start) {
      const sandbox = await running().create({ pkg: singleModule(PROBE, 'Probe', 'probe.js'), ctorArgs: [start] });
      return {
        call: (method, ...args) => sandbox.call(method, args),
        process: (item) => sandbox.process(item),
        dispose: () => sandbox.dispose(),
      };
    },
    async liveSandboxes() {
      return running().stats().sandboxes;
    },
  };
}

function edgeHost(): SandboxHost {
  let edge: EdgeProcess | undefined;
  let session: RemoteSession | undefined;
  const running = (): { edge: EdgeProcess; session: RemoteSession } => {
    if (edge === undefined || session === undefined) throw new Error('host not started');
    return { edge, session };
  };
  return {
    name: 'a real edge process, through the Node SDK',
    async start() {
      edge = await startEdge([
        '--sandbox-workers',
        '1',
        '--sandbox-call-timeout-ms',
        String(CALL_TIMEOUT_MS),
        '--sandbox-stack-kb',
        String(STACK_KB),
        '--sandbox-memory-mb',
        String(MEMORY_MB),
      ]);
      session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    },
    async stop() {
      session?.close();
      await edge?.stop();
    },
    async deployProbe(start) {
      const pkg = await packSources({ sources: { 'probe.js': PROBE }, entry: 'probe.js', exportName: 'Probe' });
      const node = await running().session.deploy(pkg, { ctorArgs: [start] });
      return {
        call: (method, ...args) => node.call(method, ...args),
        process: async (item) => [...(await node.process(item))],
        dispose: () => node.dispose(),
      };
    },
    async liveSandboxes() {
      const status = (await (await fetch(`${running().edge.url}/status`)).json()) as { pool: { sandboxes: number } };
      return status.pool.sandboxes;
    },
  };
}

/** Polls `read` until it returns `expected`; a host may free a sandbox just after it answered the dispose. */
async function settlesTo(read: () => Promise<number>, expected: number): Promise<number> {
  const deadline = Date.now() + 5_000;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe.each([inProcessHost(), edgeHost()])('sandbox contract: $name', (host) => {
  beforeAll(() => host.start(), 60_000);
  afterAll(() => host.stop());

  it('keeps an instance’s state across calls, and each instance has its own', async () => {
    const a = await host.deployProbe(10);
    const b = await host.deployProbe(100);
    expect(await a.call('add', 1)).toBe(11);
    expect(await b.call('add', 1)).toBe(101);
    expect(await a.call('add', 5)).toBe(16);
    expect(await a.call('steps')).toEqual([
      [0, 11],
      [1, 16],
    ]);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it('stops a call at the time limit with SANDBOX_TIMEOUT, then refuses the instance with SANDBOX_DISCARDED', async () => {
    const probe = await host.deployProbe(0);
    const error = await remoteRejection(probe.call('spin'), ErrorCode.SandboxTimeout);
    expect(error.remoteMessage).toMatch(new RegExp(`^spin did not finish within ${CALL_TIMEOUT_MS} ms`));
    const next = await remoteRejection(probe.call('add', 1), ErrorCode.SandboxDiscarded);
    expect(next.message).toContain('exceeded its time limit');
  });

  it('ends runaway allocation with SANDBOX_OUT_OF_MEMORY, naming the memory limit', async () => {
    const probe = await host.deployProbe(0);
    const error = await remoteRejection(probe.call('hog'), ErrorCode.SandboxOutOfMemory);
    expect(error.remoteMessage).toBe(`hog ran out of memory (sandbox limit ${MEMORY_MB * 1024 * 1024} bytes)`);
    await remoteRejection(probe.call('add', 1), ErrorCode.SandboxDiscarded);
  });

  it('ends runaway recursion with SANDBOX_STACK_OVERFLOW', async () => {
    const probe = await host.deployProbe(0);
    const error = await remoteRejection(probe.call('recurse', 0), ErrorCode.SandboxStackOverflow);
    expect(error.remoteMessage).toContain('overflowed the stack');
    await remoteRejection(probe.call('add', 1), ErrorCode.SandboxDiscarded);
    const fresh = await host.deployProbe(1);
    expect(await fresh.call('add', 1)).toBe(2);
    await fresh.dispose();
  });

  it('hands frames in and out through the sandbox memory with the right bytes (video and audio)', async () => {
    const probe = await host.deployProbe(0);
    const next = prng(7);
    const pixels = new Uint8Array(320 * 240 * 4);
    for (let i = 0; i < pixels.length; i++) pixels[i] = next() * 256;
    const video = createVideoFrame({ width: 320, height: 240, format: 'rgba', data: pixels.slice(), timestamp: 1234 });
    const [outVideo] = (await probe.process(video)) as VideoFrameData[];
    expect({ width: outVideo!.width, height: outVideo!.height, format: outVideo!.format, timestamp: outVideo!.timestamp }).toEqual({
      width: 320,
      height: 240,
      format: 'rgba',
      timestamp: 1234,
    });
    const expected = pixels.map((v, i) => (i % 4 === 3 ? v : 255 - v));
    expect(Buffer.compare(outVideo!.data, expected)).toBe(0);

    const samples = Float32Array.from({ length: 960 * 2 }, (_, i) => Math.sin(i / 10));
    const audio = createAudioFrame({ sampleRate: 48_000, channels: 2, samples: samples.slice() });
    const [outAudio] = (await probe.process(audio)) as AudioFrameData[];
    expect({ sampleRate: outAudio!.sampleRate, channels: outAudio!.channels }).toEqual({ sampleRate: 48_000, channels: 2 });
    expect(outAudio!.samples).toBeInstanceOf(Float32Array);
    expect(Array.from(outAudio!.samples)).toEqual(Array.from(samples, (s) => Math.fround(s * 0.5)));
    await probe.dispose();
  });

  it('frees the sandbox on dispose and refuses calls afterwards with DISPOSED', async () => {
    const before = await host.liveSandboxes();
    const probe = await host.deployProbe(0);
    expect(await host.liveSandboxes()).toBe(before + 1);
    await probe.dispose();
    expect(await settlesTo(() => host.liveSandboxes(), before)).toBe(before);
    const error = await probe.call('add', 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteMediaError);
    expect(error).not.toBeInstanceOf(RemoteError);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.Disposed);
  });
});
