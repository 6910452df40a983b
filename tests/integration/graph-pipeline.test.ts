import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph, type PipelineGraph, type VideoFrameData } from '@remotemedia/shared';
import { connect, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { colourFrames } from '../support/colourFrames.ts';

/** Two branches of one stream joined again by zip: gray, and a mirrored thumbnail. */
function manifest(placement: 'local' | 'remote') {
  return {
    version: 1,
    nodes: [
      { id: 'gray', node: 'Grayscale', placement },
      { id: 'small', node: 'Resize', config: { width: 32, height: 24 } },
      { id: 'mirror', node: 'Flip', config: { direction: 'horizontal' }, placement },
      { id: 'pair', node: 'PassThrough', join: 'zip' },
      { id: 'tap', node: 'PassThrough' },
    ],
    connections: [
      { from: 'input', to: 'gray' },
      { from: 'input', to: 'small' },
      { from: 'small', to: 'mirror' },
      { from: 'gray', to: 'pair' },
      { from: 'mirror', to: 'pair' },
      { from: 'mirror', to: 'tap' },
    ],
  };
}

async function collect(graph: PipelineGraph, items: readonly unknown[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for await (const { node, item } of graph.stream(items)) (out[node] ??= []).push(item);
  return out;
}

describe('graph pipelines with remote branches', () => {
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

  it('gives byte-for-byte the outputs of the same graph run all locally', async () => {
    const frames = colourFrames(8);
    const local = await collect(buildGraph(manifest('local')), frames);
    const mixed = await collect(session.loadGraph(manifest('remote')), frames);
    expect(Object.keys(mixed).sort()).toEqual(['pair', 'tap']);
    expect(mixed.pair).toHaveLength(8);
    expect(mixed.tap).toHaveLength(8);
    expect(mixed).toEqual(local);
    const first = mixed.pair![0] as { gray: VideoFrameData; mirror: VideoFrameData };
    expect([first.gray.width, first.mirror.width]).toEqual([64, 32]);
    // Gray really is gray: R = G = B on every pixel.
    for (let i = 0; i < first.gray.data.length; i += 4) {
      expect(first.gray.data[i + 1]).toBe(first.gray.data[i]);
      expect(first.gray.data[i + 2]).toBe(first.gray.data[i]);
    }
  });

  it('process() through remote branches returns each output by id', async () => {
    const graph = session.loadGraph(manifest('remote'));
    const [frame] = colourFrames(1);
    const result = await graph.process(frame);
    expect(Object.keys(result).sort()).toEqual(['pair', 'tap']);
    expect((result.tap![0] as VideoFrameData).width).toBe(32);
    await graph.close();
  });
});
