import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { createAudioFrame, type AudioFrameData, type VideoFrameData } from '@remotemedia/shared/frames';
import { createNode } from '@remotemedia/shared/nodes';
import { NodeError, Pipeline, PipelineGraph, type GraphOutput, type PipelineNode } from '@remotemedia/shared/pipeline';
import { colourFrames } from '../support/colourFrames.ts';

function sineBlocks(count: number, size = 480, rate = 48_000): AudioFrameData[] {
  return Array.from({ length: count }, (_, b) => {
    const samples = new Float32Array(size);
    for (let i = 0; i < size; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (b * size + i)) / rate);
    return createAudioFrame({ sampleRate: rate, channels: 1, timestamp: (b * size * 1000) / rate, samples });
  });
}

async function alone(name: string, config: Record<string, unknown>, items: readonly unknown[]): Promise<unknown[]> {
  const pipeline = new Pipeline([createNode(name, config)]);
  const out: unknown[] = [];
  for await (const item of pipeline.stream(items)) out.push(item);
  return out;
}

async function collect(graph: PipelineGraph, items: Iterable<unknown> | AsyncIterable<unknown>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for await (const { node, item } of graph.stream(items)) (out[node] ??= []).push(item);
  return out;
}

/** A node that records what it saw and what happened to it, for lifecycle and ordering checks. */
function recorder(name: string, log: string[], process?: (item: unknown) => unknown): PipelineNode {
  return {
    name,
    initialize: () => void log.push(`init ${name}`),
    process: (item) => (process ? process(item) : item),
    cleanup: () => void log.push(`cleanup ${name}`),
  };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PipelineGraph: fan-out', () => {
  it('one audio stream feeds two branches, each exactly what its node gives alone', async () => {
    const blocks = sineBlocks(12);
    const graph = new PipelineGraph()
      .add('quieter', createNode('Gain', { gainDb: -6 }))
      .add('meter', createNode('LevelMeter'))
      .connect('input', 'quieter')
      .connect('input', 'meter');
    const out = await collect(graph, blocks);
    expect(out.quieter).toEqual(await alone('Gain', { gainDb: -6 }, blocks));
    expect(out.meter).toEqual(await alone('LevelMeter', {}, blocks));
    // The meter saw the original level, not the Gain branch's: a 0.5 sine is about -9.03 dBFS RMS.
    const levels = (out.meter as { levels: { rmsDb: number } }[]).map((frame) => frame.levels.rmsDb);
    for (const rms of levels) expect(Math.abs(rms + 9.03)).toBeLessThan(0.2);
    // The branch's input was not modified by the other branch's Gain.
    expect(blocks[0]!.samples[100]).toBeCloseTo(0.5 * Math.sin((2 * Math.PI * 440 * 100) / 48_000), 6);
  });

  it('process() runs one item through every branch and returns each output by id', async () => {
    const [frame] = colourFrames(1, 32, 24);
    const graph = new PipelineGraph()
      .add('gray', createNode('Grayscale'))
      .add('mirror', createNode('Flip', { direction: 'horizontal' }))
      .add('mirrorGray', createNode('Grayscale'))
      .connect('input', 'gray')
      .connect('input', 'mirror')
      .connect('mirror', 'mirrorGray');
    const result = await graph.process(frame);
    expect(Object.keys(result).sort()).toEqual(['gray', 'mirrorGray']);
    const [gray] = (await alone('Grayscale', {}, [frame])) as VideoFrameData[];
    const [mirrorGray] = (await alone('Grayscale', {}, await alone('Flip', { direction: 'horizontal' }, [frame]))) as VideoFrameData[];
    expect(result.gray).toEqual([gray]);
    expect(result.mirrorGray).toEqual([mirrorGray]);
    // A mirrored gray frame is the gray frame's rows reversed: the pixels really went through both branches.
    const row = (f: VideoFrameData, y: number, x: number) => f.data[(y * f.width + x) * 4]!;
    expect(row(result.mirrorGray![0] as VideoFrameData, 3, 0)).toBe(row(gray!, 3, 31));
    await graph.close();
  });
});

describe('PipelineGraph: joins', () => {
  it('zip pairs one item from each input in order, as a record keyed by the input ids', async () => {
    const frames = colourFrames(6, 32, 24);
    const seen: unknown[] = [];
    const graph = new PipelineGraph()
      .add('gray', createNode('Grayscale'))
      .add('mirror', createNode('Flip', { direction: 'horizontal' }))
      .add('both', { name: 'Both', process: (record) => (seen.push(record), record) }, { join: 'zip' })
      .connect('input', 'gray')
      .connect('input', 'mirror')
      .connect('gray', 'both')
      .connect('mirror', 'both');
    const out = await collect(graph, frames);
    expect(out.both).toHaveLength(6);
    (out.both as Record<string, VideoFrameData>[]).forEach((record, n) => {
      expect(Object.keys(record).sort()).toEqual(['gray', 'mirror']);
      expect(record.gray!.timestamp).toBe(n * 33);
      expect(record.mirror!.timestamp).toBe(n * 33);
    });
  });

  it('timestamp join yields capture order even when one branch is slower', async () => {
    const frames = colourFrames(8, 32, 24);
    const graph = new PipelineGraph()
      .add('slow', { name: 'Slow', process: async (frame) => (await delay(3), frame) })
      .add('fast', { name: 'Fast', process: (frame) => frame })
      .add('merged', { name: 'Merged' }, { join: 'timestamp' })
      .connect('input', 'slow')
      .connect('input', 'fast')
      .connect('slow', 'merged')
      .connect('fast', 'merged');
    const out = await collect(graph, frames);
    const stamps = (out.merged as VideoFrameData[]).map((frame) => frame.timestamp);
    expect(stamps).toEqual(frames.flatMap((frame) => [frame.timestamp, frame.timestamp]));
  });

  it('arrival join passes everything from every input', async () => {
    const graph = new PipelineGraph()
      .add('a', { name: 'A', process: (n) => `a${n}` })
      .add('b', { name: 'B', process: async (n) => (await delay(1), `b${n}`) })
      .add('all', { name: 'All' })
      .connect('input', 'a')
      .connect('input', 'b')
      .connect('a', 'all')
      .connect('b', 'all');
    const out = await collect(graph, [1, 2, 3, 4]);
    expect([...(out.all as string[])].sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'b3', 'b4']);
    // Each input's own order is kept.
    expect((out.all as string[]).filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('a zip whose partner filtered items reports the unpaired ones as dropped, never silently', async () => {
    const drops: unknown[] = [];
    const graph = new PipelineGraph()
      .add('evens', { name: 'Evens', process: (n) => ((n as number) % 2 === 0 ? n : undefined) })
      .add('all', { name: 'All' })
      .add('pairs', { name: 'Pairs' }, { join: 'zip' })
      .connect('input', 'evens')
      .connect('input', 'all')
      .connect('evens', 'pairs')
      .connect('all', 'pairs');
    graph.on('drop', (event) => drops.push({ item: event.item, from: event.from, unmatched: event.unmatched }));
    const out = await collect(graph, [0, 1, 2, 3, 4, 5]);
    expect(out.pairs).toEqual([
      { evens: 0, all: 0 },
      { evens: 2, all: 1 },
      { evens: 4, all: 2 },
    ]);
    expect(drops).toEqual([3, 4, 5].map((item) => ({ item, from: 'all', unmatched: true })));
    expect(graph.stats().connections.find((c) => c.from === 'all' && c.to === 'pairs')!.dropped).toBe(3);
  });
});

describe('PipelineGraph: queues per connection', () => {
  it('a slow branch behind a drop-oldest connection drops while a blocking branch keeps every item', async () => {
    const total = 40;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let fastSeen = 0;
    const drops: string[] = [];
    const graph = new PipelineGraph()
      .add('slow', { name: 'Slow', process: async (n) => (await gate, n) })
      .add('fast', { name: 'Fast', process: (n) => (++fastSeen === total && release(), n) })
      .connect('input', 'slow', { queue: { capacity: 1, policy: 'drop-oldest' } })
      .connect('input', 'fast', { queue: { capacity: 4, policy: 'block' } });
    graph.on('drop', (event) => drops.push(`${event.from}->${event.nodeName}`));
    const out = await collect(
      graph,
      Array.from({ length: total }, (_, i) => i),
    );
    expect(out.fast).toEqual(Array.from({ length: total }, (_, i) => i));
    const slow = out.slow as number[];
    const stats = graph.stats();
    const slowEdge = stats.connections.find((c) => c.to === 'slow')!;
    expect(slowEdge.dropped).toBeGreaterThan(0);
    // Every item is accounted for on the slow branch: processed or counted as dropped.
    expect(slow.length + slowEdge.dropped).toBe(total);
    expect(slow.at(-1)).toBe(total - 1);
    expect(drops).toHaveLength(slowEdge.dropped);
    expect(new Set(drops)).toEqual(new Set(['input->Slow']));
    expect(stats.connections.find((c) => c.to === 'fast')).toMatchObject({ dropped: 0, queueCapacity: 4, queuePolicy: 'block' });
  });
});

describe('PipelineGraph: lifecycle and errors', () => {
  it('initializes each node after its inputs and cleans up in reverse, once', async () => {
    const log: string[] = [];
    const graph = new PipelineGraph()
      .add('join', recorder('join', log), { join: 'arrival' })
      .add('b', recorder('b', log))
      .add('a', recorder('a', log))
      .connect('a', 'join')
      .connect('b', 'join')
      .connect('input', 'a')
      .connect('input', 'b');
    await collect(graph, [1]);
    await graph.close();
    expect(log).toEqual(['init b', 'init a', 'init join', 'cleanup join', 'cleanup a', 'cleanup b']);
  });

  it('a failing branch ends the run with a NodeError naming it; every node is cleaned up', async () => {
    const log: string[] = [];
    const graph = new PipelineGraph()
      .add('ok', recorder('ok', log))
      .add(
        'bad',
        recorder('bad', log, (n) => {
          if (n === 3) throw new RemoteMediaError(ErrorCode.InvalidInput, 'three is not allowed');
          return n;
        }),
      )
      .connect('input', 'ok')
      .connect('input', 'bad');
    const error = await collect(graph, [1, 2, 3, 4]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).nodeName).toBe('bad');
    expect((error as NodeError).code).toBe(ErrorCode.InvalidInput);
    expect((error as NodeError).message).toContain('three is not allowed');
    expect(log.filter((line) => line.startsWith('cleanup')).sort()).toEqual(['cleanup bad', 'cleanup ok']);
    expect(graph.closed).toBe(true);
    await expect(graph.process(1)).rejects.toMatchObject({ code: ErrorCode.Disposed });
  });

  it('a consumer that stops early stops every branch and cleans up', async () => {
    const log: string[] = [];
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced++;
        yield produced;
        await delay(0);
      }
    }
    const graph = new PipelineGraph().add('a', recorder('a', log)).add('b', recorder('b', log)).connect('input', 'a').connect('input', 'b');
    const outputs: GraphOutput[] = [];
    for await (const output of graph.stream(endless())) {
      outputs.push(output);
      if (outputs.length === 10) break;
    }
    expect(log.filter((line) => line.startsWith('cleanup')).sort()).toEqual(['cleanup a', 'cleanup b']);
    const stopped = produced;
    await delay(20);
    expect(produced).toBe(stopped);
  });

  it('flush carries what nodes hold through the rest of the graph', async () => {
    const graph = new PipelineGraph()
      .add('buffer', createNode('Buffer', { size: 3 }))
      .add('count', { name: 'Count', process: (batch) => (batch as unknown[]).length })
      .connect('input', 'buffer')
      .connect('buffer', 'count');
    expect(await graph.process('a')).toEqual({ count: [] });
    expect(await graph.process('b')).toEqual({ count: [] });
    expect(await graph.flush()).toEqual({ count: [2] });
  });
});

describe('PipelineGraph: shape checks', () => {
  const node = (name: string): PipelineNode => ({ name });
  const problems = (graph: PipelineGraph) => {
    try {
      graph.describe();
      return [];
    } catch (error) {
      expect((error as RemoteMediaError).code).toBe(ErrorCode.InvalidInput);
      return (error as { issues: { path: string; message: string }[] }).issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it('names the cycle', () => {
    const graph = new PipelineGraph()
      .add('a', node('A'))
      .add('b', node('B'))
      .add('c', node('C'))
      .connect('input', 'a')
      .connect('a', 'b')
      .connect('b', 'c')
      .connect('c', 'b');
    expect(problems(graph)).toEqual(['connections: has a cycle: "b" -> "c" -> "b"']);
  });

  it('reports unknown ids with a suggestion, nodes with no input, self-loops, repeats and lone joins', () => {
    const graph = new PipelineGraph()
      .add('gray', node('Gray'))
      .add('orphan', node('Orphan'))
      .add('single', node('Single'), { join: 'zip' })
      .connect('input', 'gray')
      .connect('gary', 'single')
      .connect('gray', 'single')
      .connect('gray', 'single')
      .connect('gray', 'gray');
    expect(problems(graph)).toEqual([
      'connect("gary", "single").from: no node has the id "gary" (did you mean "gray"?)',
      'connect("gray", "single"): connects "gray" to "single" a second time',
      'connect("gray", "gray"): connects "gray" to itself; a graph has no cycles',
      'add("orphan"): "orphan" has no input; connect something to it, e.g. { "from": "input", "to": "orphan" }',
      'add("single").join: "single" has one input; a join only applies to a node with several',
    ]);
  });

  it('refuses a repeated id at once and describes a sound graph', () => {
    const graph = new PipelineGraph().add('gray', node('Gray'));
    expect(() => graph.add('gray', node('Other'))).toThrow(/another node already has the id "gray"/);
    graph
      .add('mirror', node('Mirror'))
      .connect('input', 'gray')
      .connect('input', 'mirror', { queue: { capacity: 2, policy: 'drop-oldest' } });
    expect(graph.describe()).toBe(['input -> gray    (Gray)', 'input -> mirror  (Mirror)  queue 2, drop-oldest', 'outputs: gray, mirror'].join('\n'));
  });
});
