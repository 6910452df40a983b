import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline, createAudioFrame, createNode, listNodes, type AudioFrameData, type PipelineNode, type VideoFrameData } from '@remotemedia/shared';
import { connect, ErrorCode, RemoteError, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { colourFrames } from '../support/colourFrames.ts';

function stereoSine(blocks: number, blockSize = 960, sampleRate = 48_000): AudioFrameData[] {
  const frames: AudioFrameData[] = [];
  for (let b = 0; b < blocks; b++) {
    const samples = new Float32Array(blockSize * 2);
    for (let i = 0; i < blockSize; i++) {
      const t = (b * blockSize + i) / sampleRate;
      samples[2 * i] = 0.8 * Math.sin(2 * Math.PI * 440 * t);
      samples[2 * i + 1] = 0.5 * Math.sin(2 * Math.PI * 660 * t);
    }
    frames.push(createAudioFrame({ sampleRate, channels: 2, timestamp: (b * blockSize * 1000) / sampleRate, samples }));
  }
  return frames;
}

async function collect(pipeline: Pipeline, input: Iterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of pipeline.stream(input)) out.push(item);
  return out;
}

describe('pipelines mixing local nodes and remote built-ins', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;

  beforeAll(async () => {
    edge = await startEdge();
    session = await connect(edge.url);
  });

  afterAll(async () => {
    session?.close();
    await edge?.stop();
  });

  it('audio: local Gain -> remote Resample -> local ChannelMix equals the all-local pipeline, sample for sample', async () => {
    const input = stereoSine(50);
    const local = await collect(
      new Pipeline([
        createNode('Gain', { gainDb: -6 }),
        createNode('Resample', { targetSampleRate: 16_000 }),
        createNode('ChannelMix', { channels: 1 }),
      ]),
      input,
    );
    const remoteResample = await session.node('Resample', { targetSampleRate: 16_000 });
    const mixed = await collect(new Pipeline([createNode('Gain', { gainDb: -6 }), remoteResample, createNode('ChannelMix', { channels: 1 })]), input);
    const samples = (frames: unknown[]): number[] => frames.flatMap((f) => [...(f as AudioFrameData).samples]);
    expect(mixed.length).toBe(local.length);
    expect((mixed[0] as AudioFrameData).sampleRate).toBe(16_000);
    expect((mixed[0] as AudioFrameData).channels).toBe(1);
    // The stream is flushed through the remote resampler: the whole second arrives.
    expect(samples(mixed).length).toBe(16_000);
    expect(samples(mixed)).toEqual(samples(local));
    expect(remoteResample.disposed).toBe(true);
  });

  it('video: local Flip -> remote Resize -> local Grayscale equals the all-local pipeline, byte for byte', async () => {
    const input = colourFrames(12);
    const build = (middle: PipelineNode): Pipeline => new Pipeline([createNode('Flip', { direction: 'vertical' }), middle, createNode('Grayscale')]);
    const local = await collect(build(createNode('Resize', { width: 32, height: 24 })), input);
    const mixed = await collect(build(await session.node('Resize', { width: 32, height: 24 })), input);
    expect(mixed).toHaveLength(12);
    mixed.forEach((frame, i) => {
      const got = frame as VideoFrameData;
      expect([got.width, got.height, got.format]).toEqual([32, 24, 'rgba']);
      expect(Buffer.from(got.data).equals(Buffer.from((local[i] as VideoFrameData).data))).toBe(true);
    });
  });

  it('a stream through a remote Buffer keeps order, and the end of the stream flushes what it holds', async () => {
    const buffer = await session.node('Buffer', { size: 3 });
    const out = await collect(
      new Pipeline([buffer]),
      Array.from({ length: 10 }, (_, i) => ({ i })),
    );
    expect(out).toEqual([[{ i: 0 }, { i: 1 }, { i: 2 }], [{ i: 3 }, { i: 4 }, { i: 5 }], [{ i: 6 }, { i: 7 }, { i: 8 }], [{ i: 9 }]]);
  });

  it('loads a JSON manifest with remote placement', async () => {
    const pipeline = session.loadPipeline({
      version: 1,
      nodes: [
        { node: 'TextProcessor', config: { operation: 'uppercase' }, placement: 'remote' },
        { node: 'TextProcessor', config: { operation: 'reverse' } },
      ],
    });
    expect(await collect(pipeline, ['abc', 'Edge'])).toEqual(['CBA', 'EGDE']);
  });

  it('lists the same catalogue the SDK ships, with schemas and defaults', async () => {
    const remote = await session.listNodes();
    expect(remote).toEqual(listNodes());
    const gain = remote.find((n) => n.name === 'Gain')!;
    expect(gain.inputKinds).toEqual(['audio']);
    expect(JSON.stringify(gain.configSchema)).toContain('gainDb');
  });

  it('rejects unknown names and invalid configs with typed errors that say what is wrong', async () => {
    const unknown = (await session.node('Resampel').catch((e: unknown) => e)) as RemoteError;
    expect(unknown).toBeInstanceOf(RemoteError);
    expect(unknown.code).toBe(ErrorCode.UnknownNode);
    expect(unknown.message).toContain('did you mean "Resample"');
    const invalid = (await session.node('Resample', { targetSampleRate: 'fast' }).catch((e: unknown) => e)) as RemoteError;
    expect(invalid.code).toBe(ErrorCode.InvalidConfig);
    expect(invalid.message).toContain('config.targetSampleRate');
  });
});
