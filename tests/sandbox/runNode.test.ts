import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorCode, RemoteError, runNode, type ConsoleLine, type RunNodeResult } from '@remotemedia/browser-sdk/node';
import { createAudioFrame, createVideoFrame, type AudioFrameData, type VideoFrameData } from '@remotemedia/shared';
import { BlockSplitter } from '../fixtures/runNode/BlockSplitter.ts';
import { Invert } from '../fixtures/runNode/Invert.ts';
import { Lifecycle } from '../fixtures/runNode/Lifecycle.ts';
import { Misbehaving } from '../fixtures/runNode/Misbehaving.ts';
import { Sparse } from '../fixtures/runNode/Sparse.ts';

const rgba = (seed: number): VideoFrameData =>
  createVideoFrame({ width: 4, height: 3, format: 'rgba', timestamp: seed, data: Uint8Array.from({ length: 48 }, (_, i) => (i * 7 + seed) % 256) });
const ramp = (length: number, timestamp: number): AudioFrameData =>
  createAudioFrame({ sampleRate: 48_000, channels: 1, timestamp, samples: Float32Array.from({ length }, (_, i) => i / 16) });

/** Runs the node both ways; each gets its own inputs, so a node that mutates them cannot leak into the other run. */
async function bothWays<R>(run: (sandbox: boolean) => Promise<R>): Promise<{ direct: R; sandboxed: R }> {
  return { direct: await run(false), sandboxed: await run(true) };
}

const rejection = async (promise: Promise<unknown>): Promise<RemoteError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
};

const failing = async (how: string, sandbox = true): Promise<{ error: RemoteError; lines: ConsoleLine[] }> => {
  const lines: ConsoleLine[] = [];
  const error = await rejection(
    runNode(Misbehaving, [how], { sandbox, limits: { callTimeoutMs: 300, memoryBytes: 24 * 1024 * 1024 }, onConsole: (l) => lines.push(l) }),
  );
  return { error, lines };
};

describe('runNode: a node class run in the real QuickJS sandbox, or directly in V8, with no edge', () => {
  it('gives the same frames both ways, and leaves the caller’s inputs alone although the node edits them in place', async () => {
    const inputs = [rgba(1), rgba(2)];
    const before = inputs.map((f) => [...f.data]);
    const { direct, sandboxed } = await bothWays((sandbox) => runNode(Invert, inputs, { sandbox }));
    expectTypeOf(direct).toEqualTypeOf<RunNodeResult<VideoFrameData>>();
    expect(sandboxed.outputs).toEqual(direct.outputs);
    expect(direct.outputs.map((f) => [...f.data])).toEqual(before.map((bytes) => bytes.map((b, i) => (i % 4 === 3 ? b : 255 - b))));
    expect(inputs.map((f) => [...f.data])).toEqual(before);
  });

  it('gives the same outputs both ways for several, none and flushed outputs from generators, with the same console lines', async () => {
    const inputs = [ramp(5, 0), ramp(3, 1), ramp(9, 2)];
    const { direct, sandboxed } = await bothWays((sandbox) => runNode(BlockSplitter, inputs, { sandbox, args: [4] }));
    expect(sandboxed).toEqual(direct);
    expect(direct.byInput.map((outs) => outs.map((f) => f.samples.length))).toEqual([[4], [4], [4, 4]]);
    expect(direct.flushed.map((f) => [f.timestamp, f.samples.length])).toEqual([
      [-1, 1],
      [-2, 1],
    ]);
    expect(direct.outputs).toHaveLength(6);
    expect(sandboxed.console).toEqual<ConsoleLine[]>([
      { level: 'log', text: 'holding 1 samples' },
      { level: 'log', text: 'holding 0 samples' },
      { level: 'log', text: 'holding 1 samples' },
      { level: 'info', text: 'flush with 1' },
    ]);
  });

  it('drives the lifecycle as a Pipeline does (initialize, process, flush, cleanup), async generators and filtered inputs included', async () => {
    const { direct, sandboxed } = await bothWays((sandbox) => runNode(Lifecycle, [{ index: 0 }, { index: 1 }, { index: 2 }], { sandbox }));
    expect(sandboxed).toEqual(direct);
    expect(direct.byInput).toEqual([
      [{ value: 10, calls: 2 }],
      [],
      [
        { value: 30, calls: 4 },
        { value: 60, calls: 4 },
      ],
    ]);
    expect(direct.flushed).toEqual([{ value: 0, calls: 5 }]);
    expect(direct.console.map((line) => `${line.level}: ${line.text}`)).toEqual([
      'log: initialized with 3 entries',
      'warn: cleanup after initialize, process 0, process 1, process 2, flush, cleanup',
    ]);
  });

  it('never counts undefined as an output, returned or yielded', async () => {
    const { direct, sandboxed } = await bothWays((sandbox) => runNode(Sparse, [2, 0], { sandbox }));
    expect(sandboxed.byInput).toEqual([[0, 1], []]);
    expect(direct.byInput).toEqual([[0, 1], []]);
  });

  it('skips flush when asked to', async () => {
    const result = await runNode(BlockSplitter, [ramp(5, 0)], { args: [4], flush: false });
    expect(result.flushed).toEqual([]);
    expect(result.outputs).toHaveLength(1);
  });

  describe('limits give the edge’s typed errors, and the console lines written before the failure still arrive', () => {
    it('an endless loop is SANDBOX_TIMEOUT', async () => {
      const { error, lines } = await failing('spin');
      expect(error.code).toBe(ErrorCode.SandboxTimeout);
      expect(error.message).toBe('process did not finish within 300 ms (in Misbehaving.process)');
      expect(lines).toEqual([{ level: 'log', text: 'about to spin' }]);
    });

    it('hoarding memory is SANDBOX_OUT_OF_MEMORY', async () => {
      const { error } = await failing('hog');
      expect(error.code).toBe(ErrorCode.SandboxOutOfMemory);
      expect(error.remoteMessage).toContain('sandbox limit 25165824 bytes');
    });

    it('unbounded recursion is SANDBOX_STACK_OVERFLOW, in V8 too', async () => {
      expect((await failing('recurse')).error.code).toBe(ErrorCode.SandboxStackOverflow);
      expect((await failing('recurse', false)).error.code).toBe(ErrorCode.SandboxStackOverflow);
    });

    it('a frame whose bytes disagree with its size is INVALID_OUTPUT both ways, with the same message', async () => {
      const { direct, sandboxed } = await bothWays(async (sandbox) => (await failing('lie', sandbox)).error);
      expect(sandboxed.code).toBe(ErrorCode.InvalidOutput);
      expect(direct.code).toBe(ErrorCode.InvalidOutput);
      expect(direct.message).toBe(sandboxed.message);
      expect(sandboxed.message).toBe(
        'process returned a result the edge refuses: output[0].data must be 1228800 bytes for a 640x480 rgba frame, got "16 bytes" (in Misbehaving.process)',
      );
    });

    it('an exception is USER_ERROR with the thrown name and message both ways', async () => {
      const { direct, sandboxed } = await bothWays(async (sandbox) => (await failing('throw', sandbox)).error);
      for (const error of [direct, sandboxed]) {
        expect([error.code, error.remoteName, error.remoteMessage, error.nodeName, error.method]).toEqual([
          ErrorCode.UserError,
          'RangeError',
          'cannot throw',
          'Misbehaving',
          'process',
        ]);
      }
      expect(sandboxed.remoteStack).toContain('Misbehaving.ts');
    });
  });

  it('lets only what the wire carries in and out, failing as a session fails', async () => {
    const { direct, sandboxed } = await bothWays(async (sandbox) => (await failing('date', sandbox)).error);
    expect(sandboxed.code).toBe(ErrorCode.InvalidInput);
    expect(direct.message).toBe(sandboxed.message);
    expect(sandboxed.message).toMatch(/^Cannot encode this value, the receiver would reject it: .*Date.* \(in Misbehaving\.process\)$/);
    const input = await runNode(Misbehaving, [new Date(0) as never]).catch((e: unknown) => e);
    expect(input).toMatchObject({ code: ErrorCode.InvalidInput, message: expect.stringContaining('Cannot encode this value') });
  });

  it('checks inputs as the edge checks a client’s frames, before running anything', async () => {
    const bad = { kind: 'video', width: 4, height: 3, format: 'rgba', timestamp: 0, data: new Uint8Array(5) } as VideoFrameData;
    for (const sandbox of [true, false]) {
      const error = await runNode(Invert, [rgba(0), bad], { sandbox }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: ErrorCode.MalformedMessage,
        message: 'inputs[1].data must be 48 bytes for a 4x3 rgba frame, got "5 bytes"',
      });
    }
  });
});
