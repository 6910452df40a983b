import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { collectResult, createAudioFrame, createNode, createVideoFrame, type NodeLimits, type PipelineNode } from '@remotemedia/shared';
import { connect } from '@remotemedia/browser-sdk/node';
import { useEdge } from '../support/edgeProcess.ts';

// Issue 15, item 6 (built-in part): a built-in's output size followed its config or input with no bound.
// Resize to 16384x16384 turned a 4-byte frame into 1 GiB (edge RSS 316 -> 1,078 MB, 8 s of the one
// built-in worker). Every output whose size depends on config or input is now checked against the edge's
// frame and message limits before it is allocated.

/** Peak resident memory of a process (VmHWM), in MiB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

describe('regression: built-in outputs are bounded by the edge limits before allocation', () => {
  const edge = useEdge();

  it('refuses a 16384x16384 Resize of a 1x1 frame with FRAME_TOO_LARGE; memory stays flat and other sessions keep working', async () => {
    const attacker = await connect(edge.url, { transport: 'websocket', reconnect: false });
    const victim = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const grayscale = await victim.node('Grayscale');
      const frame = createVideoFrame({ width: 2, height: 2, format: 'rgba', data: new Uint8Array(16).fill(200) });
      expect([...(await grayscale.process(frame))]).toHaveLength(1);

      const huge = await attacker.node('Resize', { width: 16384, height: 16384 });
      const tiny = createVideoFrame({ width: 1, height: 1, format: 'rgba', data: new Uint8Array([1, 2, 3, 4]) });
      for (let i = 0; i < 3; i++) {
        const error = (await huge.process(tiny).catch((e: unknown) => e)) as { code?: string; message?: string; nodeName?: string };
        expect(error.code).toBe('FRAME_TOO_LARGE');
        expect(error.nodeName).toBe('Resize');
        expect(error.message).toContain("Resize: a 16384x16384 rgba frame would be 1073741824 bytes, over this host's maxFrameBytes (8294400)");
      }
      // Nothing near 1 GiB was ever resident (the edge with its workers peaks around 150-350 MiB here).
      expect(await peakRssMb(edge.process.pid!)).toBeLessThan(512);

      // A size within the limits works for the same client; the other client's node never noticed.
      const fine = await attacker.node('Resize', { width: 4, height: 2 });
      const [resized] = await fine.process(tiny);
      expect(resized).toMatchObject({ width: 4, height: 2, format: 'rgba' });
      const [gray] = [...(await grayscale.process(frame))] as Array<{ data: Uint8Array }>;
      expect(gray!.data[0]).toBe(200);
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    } finally {
      attacker.close();
      victim.close();
    }
  });
});

describe('regression: every catalogue node whose output size follows config or input checks the limits first', () => {
  const limits: NodeLimits = { maxFrameBytes: 64 * 1024, maxItemBytes: 256 * 1024 };
  const run = async (node: PipelineNode, input: unknown): Promise<unknown[]> => collectResult(await node.process!(input));
  const failure = async (node: PipelineNode, input: unknown): Promise<{ code?: string; message?: string }> => {
    try {
      await run(node, input);
    } catch (error) {
      return error as { code?: string; message?: string };
    }
    return {};
  };
  const audio = (samples: number, sampleRate = 16000, channels = 1): unknown =>
    createAudioFrame({ sampleRate, channels, samples: new Float32Array(samples * channels) });

  it('Resize and Crop size their output frame against maxFrameBytes', async () => {
    const frame = createVideoFrame({ width: 2, height: 2, format: 'rgba' });
    expect(await failure(createNode('Resize', { width: 1000, height: 1000 }, limits), frame)).toMatchObject({
      code: 'FRAME_TOO_LARGE',
      message:
        "Resize: a 1000x1000 rgba frame would be 4000000 bytes, over this host's maxFrameBytes (65536); use a smaller size or smaller input, or raise the limit",
    });
    expect(await run(createNode('Resize', { width: 100, height: 100 }, limits), frame)).toHaveLength(1);
    const big = createVideoFrame({ width: 200, height: 200, format: 'gray' });
    expect(codeOf(await failure(createNode('Crop', { width: 200, height: 100 }, { ...limits, maxFrameBytes: 10_000 }), big))).toBe('FRAME_TOO_LARGE');
  });

  it('VideoFormatConverter refuses gray -> rgba that would quadruple past the limit', async () => {
    const gray = createVideoFrame({ width: 200, height: 200, format: 'gray' });
    expect(await failure(createNode('VideoFormatConverter', { format: 'rgba' }, limits), gray)).toMatchObject({
      code: 'FRAME_TOO_LARGE',
      message: expect.stringContaining('VideoFormatConverter: a 200x200 rgba frame would be 160000 bytes') as unknown,
    });
    expect(await run(createNode('VideoFormatConverter', { format: 'i420' }, limits), gray)).toHaveLength(1);
  });

  it('ChannelMix, AudioChunker and Resample size their output samples first', async () => {
    expect(codeOf(await failure(createNode('ChannelMix', { channels: 2 }, limits), audio(10_000)))).toBe('FRAME_TOO_LARGE');
    expect(await run(createNode('ChannelMix', { channels: 2 }, limits), audio(1000))).toHaveLength(1);
    // A chunk the edge could not send is refused before any input is held for it.
    expect(await failure(createNode('AudioChunker', { chunkSize: 1_000_000, padFinal: true }, limits), audio(10))).toMatchObject({
      code: 'FRAME_TOO_LARGE',
      message: expect.stringContaining('AudioChunker: a chunk of 1000000 samples x 1 channels would be 4000000 bytes') as unknown,
    });
    // A 1 Hz input upsampled to 48 kHz would be 48,000x the input.
    expect(await failure(createNode('Resample', { targetSampleRate: 48000 }, limits), audio(100, 1))).toMatchObject({
      code: 'FRAME_TOO_LARGE',
      message: expect.stringContaining('Resample: 4800001 resampled samples x 1 channels would be 19200004 bytes') as unknown,
    });
    // An absurd input rate would make the kernel span (and hold) millions of samples.
    expect(await failure(createNode('Resample', { targetSampleRate: 8000 }, limits), audio(100, 1e12))).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'Resample accepts input up to 1000000 Hz, got 1000000000000 Hz',
    });
    const [resampled] = (await run(createNode('Resample', { targetSampleRate: 8000 }, limits), audio(1600))) as Array<{ sampleRate: number }>;
    expect(resampled!.sampleRate).toBe(8000);
  });

  it('audio nodes refuse channel counts no layout has (LevelMeter sized per-channel work by it)', async () => {
    const hostile = { kind: 'audio', sampleRate: 48000, channels: 1e9, timestamp: 0, samples: new Float32Array(0) };
    expect(await failure(createNode('LevelMeter', {}, limits), hostile)).toMatchObject({
      code: 'INVALID_INPUT',
      message: 'LevelMeter: channels must be an integer from 1 to 256 that divides the 0 samples, got 1000000000',
    });
    expect(codeOf(await failure(createNode('Gain', {}, limits), { ...hostile, channels: 2, sampleRate: -1 }))).toBe('INVALID_INPUT');
  });

  it('Buffer and VideoBuffer refuse the item that would make their batch too big to send, and keep what they hold', async () => {
    const buffer = createNode('Buffer', { size: 100_000 }, limits);
    const chunk = new Uint8Array(100 * 1024);
    expect(await run(buffer, chunk)).toEqual([]);
    expect(await run(buffer, chunk)).toEqual([]);
    expect(await failure(buffer, chunk)).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      message: expect.stringContaining('Buffer: a batch of 3 items would be about') as unknown,
    });
    const [held] = (await collectResult(await buffer.flush!())) as unknown[][];
    expect(held).toHaveLength(2);

    const frames = createNode('VideoBuffer', { size: 1000, stride: 1000 }, limits);
    const frame = createVideoFrame({ width: 100, height: 100, format: 'rgba' });
    for (let i = 0; i < 6; i++) expect(await run(frames, frame)).toEqual([]);
    expect(codeOf(await failure(frames, frame))).toBe('MESSAGE_TOO_LARGE');
  });

  it('FormatConverter stops writing JSON text that would outgrow the limit (each byte of binary becomes ~6 characters)', async () => {
    const converter = createNode('FormatConverter', { from: 'object', to: 'json' }, limits);
    expect(await failure(converter, { bytes: new Uint8Array(100 * 1024) })).toMatchObject({
      code: 'MESSAGE_TOO_LARGE',
      message: expect.stringContaining('FormatConverter: the JSON text would be about') as unknown,
    });
    expect(await run(converter, { bytes: new Uint8Array(10) })).toEqual(['{"bytes":{"0":0,"1":0,"2":0,"3":0,"4":0,"5":0,"6":0,"7":0,"8":0,"9":0}}']);
  });

  it('locally (no limits given) the same nodes allocate what they are asked to', async () => {
    const [out] = (await run(
      createNode('Resize', { width: 2000, height: 1000 }),
      createVideoFrame({ width: 1, height: 1, format: 'gray' }),
    )) as Array<{ data: Uint8Array }>;
    expect(out!.data.byteLength).toBe(2_000_000);
  });
});
