import { describe, expect, it } from 'vitest';
import { createAudioFrame, type AudioFrameData } from '@remotemedia/shared/frames';
import { ErrorCode } from '@remotemedia/shared/errors';
import { buildLocalPipeline, buildPipeline, validateManifest, type PipelineNode } from '@remotemedia/shared/pipeline';
import type { MeteredAudioFrame } from '@remotemedia/shared/nodes';

const messages = (json: unknown) => {
  const result = validateManifest(json);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
};

describe('validateManifest', () => {
  it('accepts a valid manifest and resolves defaults and placement', () => {
    const result = validateManifest({
      version: 1,
      nodes: [{ node: 'Gain' }, { node: 'Resample', config: { targetSampleRate: 8000 }, placement: 'remote' }],
    });
    expect(result).toEqual({
      ok: true,
      manifest: {
        version: 1,
        nodes: [
          { node: 'Gain', config: { gainDb: 0 }, placement: 'local' },
          { node: 'Resample', config: { targetSampleRate: 8000, quality: 'medium' }, placement: 'remote' },
        ],
      },
    });
  });

  it('points at the offending path of every problem', () => {
    expect(
      messages({
        version: 2,
        nodes: [
          { node: 'Gain', config: { gainDb: 'loud' } },
          { node: 'Gian' },
          { node: 'ChannelMix', placement: 'edge', queue: { capacity: 0, policy: 'newest' } },
          { node: 'Resize', config: { width: 2, height: 2 } },
        ],
        extra: true,
      }),
    ).toEqual([
      'extra: unknown field; expected one of version, nodes, connections',
      'version: must be 1, got 2',
      'nodes[0].config.gainDb: must be a number between -120 and 60, got "loud"',
      expect.stringMatching(/^nodes\[1\]\.node: unknown node "Gian"; did you mean "Gain"\?/),
      'nodes[2].placement: must be "local" or "remote", got "edge"',
      'nodes[2].queue.capacity: must be an integer between 1 and 4096, got 0',
      'nodes[2].queue.policy: must be one of "block", "drop-oldest", got "newest"',
      'nodes[3].node: Resize takes video, but ChannelMix emits audio',
    ]);
  });

  it('refuses remote placement for local-only nodes and bad shapes', () => {
    expect(messages({ version: 1, nodes: [{ node: 'DataTransform', config: { transform: () => 1 }, placement: 'remote' }] })).toEqual([
      'nodes[0].placement: DataTransform cannot run remotely (it runs local code)',
    ]);
    expect(messages('{"version":1,')).toEqual([expect.stringMatching(/^\(root\): is not valid JSON/)]);
    expect(messages({ version: 1, nodes: [] })).toEqual(['nodes: must list at least one node']);
    expect(messages({ version: 1, nodes: ['Gain'] })).toEqual(['nodes[0]: must be an object like { "node": "Gain" }, got "Gain"']);
  });
});

describe('buildLocalPipeline', () => {
  it('builds and runs the pipeline a JSON manifest describes', async () => {
    const manifest = JSON.stringify({
      version: 1,
      nodes: [{ node: 'Gain', config: { gainDb: -6.0206 } }, { node: 'LevelMeter' }],
    });
    const pipeline = buildLocalPipeline(manifest);
    const samples = new Float32Array(100).fill(1);
    const [out] = (await pipeline.process(createAudioFrame({ sampleRate: 8000, channels: 1, samples }))) as MeteredAudioFrame[];
    expect(out!.levels.peakDb).toBeCloseTo(-6.0206, 3);
    await pipeline.close();
  });

  it('throws INVALID_MANIFEST with every issue, and for nodes placed remote', () => {
    expect(() => buildLocalPipeline({ version: 1, nodes: [{ node: 'Gain', config: { gainDb: 100 } }] })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidManifest, issues: [expect.objectContaining({ path: 'nodes[0].config.gainDb' })] }),
    );
    expect(() => buildLocalPipeline({ version: 1, nodes: [{ node: 'Gain', placement: 'remote' }] })).toThrow(/nodes\[0\]\.placement/);
  });
});

describe('buildPipeline', () => {
  it('asks createRemote for nodes placed remote, with the resolved config', async () => {
    const calls: unknown[] = [];
    const createRemote = (name: string, config: Record<string, unknown>): PipelineNode => {
      calls.push([name, config]);
      return { name: `remote:${name}`, process: async (frame: AudioFrameData) => ({ ...frame, remote: true }) };
    };
    const pipeline = buildPipeline({ version: 1, nodes: [{ node: 'Gain' }, { node: 'ChannelMix', placement: 'remote' }] }, { createRemote });
    expect(calls).toEqual([['ChannelMix', { channels: 1 }]]);
    expect(pipeline.nodes.map((n) => n.name)).toEqual(['Gain', 'remote:ChannelMix']);
    const [out] = await pipeline.process(createAudioFrame({ sampleRate: 8000, channels: 1, samples: new Float32Array(4) }));
    expect(out).toMatchObject({ remote: true });
  });

  it('applies per-node queue options from the manifest', () => {
    const pipeline = buildPipeline({ version: 1, nodes: [{ node: 'Grayscale', queue: { capacity: 2, policy: 'drop-oldest' } }] });
    expect(pipeline.stats()[0]).toMatchObject({ queueCapacity: 2, queuePolicy: 'drop-oldest' });
  });
});
