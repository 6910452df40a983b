import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ErrorCode } from '@remotemedia/shared/errors';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared/frames';
import { buildGraph, buildPipeline, describeManifest, validateManifest, type PipelineNode } from '@remotemedia/shared/pipeline';

const messages = (json: unknown) => {
  const result = validateManifest(json);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path}: ${issue.message}`);
};

const example = JSON.parse(readFileSync(new URL('../../examples/manifests/camera-branches.json', import.meta.url), 'utf8'));

describe('graph manifests', () => {
  it('validates the example and keeps ids, joins and connection queues', () => {
    const result = validateManifest(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.manifest.nodes.map((n) => n.id)).toEqual(['gray', 'small', 'mirror']);
    expect(result.manifest.connections).toEqual(example.connections);
    expect(describeManifest(result.manifest)).toBe(
      [
        'input -> gray    (Grayscale, remote)  queue 2, drop-oldest',
        'input -> small   (Resize)',
        'small -> mirror  (Flip, remote)',
        'outputs: gray, mirror',
      ].join('\n'),
    );
  });

  it('reports every graph problem at its path', () => {
    expect(
      messages({
        version: 1,
        nodes: [
          { id: 'gain', node: 'Gain' },
          { id: 'gray', node: 'Grayscale' },
          { node: 'Flip' },
          { id: 'calc', node: 'Calculator', join: 'sideways' },
        ],
        connections: [{ from: 'input', to: 'gain' }, { from: 'gain', to: 'gray' }, { from: 'input', to: 'calk', extra: 1 }, 'gray'],
      }),
    ).toEqual([
      'nodes[2].id: is required when the manifest has connections: name the node, e.g. "id": "gray"',
      'nodes[3].join: must be one of "arrival", "timestamp", "zip", got "sideways"',
      'connections[2].extra: unknown field; expected one of from, to, queue',
      'connections[3]: must be an object like { "from": "input", "to": "gray" }, got "gray"',
    ]);
    expect(
      messages({
        version: 1,
        nodes: [
          { id: 'gain', node: 'Gain' },
          { id: 'gray', node: 'Grayscale' },
          { id: 'pairs', node: 'Grayscale', join: 'zip' },
          { id: 'a', node: 'PassThrough' },
          { id: 'b', node: 'PassThrough' },
        ],
        connections: [
          { from: 'input', to: 'gain' },
          { from: 'gain', to: 'gray' },
          { from: 'input', to: 'pairs' },
          { from: 'gray', to: 'pairs' },
          { from: 'input', to: 'grey' },
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      }),
    ).toEqual([
      'connections[1]: "gray" (Grayscale) takes video, but "gain" (Gain) emits audio',
      'connections[2].to: "pairs" joins its inputs with zip, which hands it records (data), but Grayscale takes video',
      'connections[3].to: "pairs" joins its inputs with zip, which hands it records (data), but Grayscale takes video',
      'connections[4].to: no node has the id "grey" (did you mean "gray"?)',
      'connections: has a cycle: "a" -> "b" -> "a"',
    ]);
  });

  it('refuses a join in a chain and a graph given to buildPipeline', () => {
    expect(messages({ version: 1, nodes: [{ node: 'Gain', join: 'zip' }] })).toEqual([
      'nodes[0].join: only applies to graphs: add "connections" to join branches',
    ]);
    expect(() => buildPipeline({ ...example, nodes: example.nodes.map((n: object) => ({ ...n, placement: 'local' })) })).toThrow(
      /connections: make this manifest a graph: build it with buildGraph/,
    );
  });

  it('builds a graph whose remote nodes come from createRemote, and a chain as a one-branch graph', async () => {
    const asked: string[] = [];
    const createRemote = (name: string, config: Record<string, unknown>): PipelineNode => {
      asked.push(`${name} ${JSON.stringify(config)}`);
      return { name, process: (frame) => ({ ...(frame as VideoFrameData), remoteBy: name }) };
    };
    const graph = buildGraph(example, { createRemote });
    expect(asked).toEqual(['Grayscale {}', 'Flip {"direction":"horizontal"}']);
    const frame = createVideoFrame({ width: 320, height: 240, format: 'rgba' });
    const result = await graph.process(frame);
    expect(Object.keys(result).sort()).toEqual(['gray', 'mirror']);
    expect((result.mirror![0] as VideoFrameData).width).toBe(160);
    expect((result.gray![0] as { remoteBy: string }).remoteBy).toBe('Grayscale');
    await graph.close();

    const chain = buildGraph({ version: 1, nodes: [{ node: 'Gain', config: { gainDb: -6 } }, { node: 'Gain' }] });
    expect(chain.describe()).toBe(['input -> Gain   (Gain)', 'Gain -> Gain-2  (Gain)', 'outputs: Gain-2'].join('\n'));
    await chain.close();
  });

  it('a local-only build refuses remote placement with INVALID_MANIFEST', () => {
    expect(() => buildGraph(example)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidManifest, message: expect.stringContaining('nodes[0].placement') }),
    );
  });
});
