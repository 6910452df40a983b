import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { NodeError, Pipeline, type PipelineNode } from '@remotemedia/shared/pipeline';
import { BufferNode } from '@remotemedia/shared/nodes';

function recorder(log: string[], name: string, process?: (x: number) => unknown): PipelineNode<number, unknown> {
  return {
    name,
    initialize: () => void log.push(`${name}.initialize`),
    process: process ?? ((x: number) => x),
    cleanup: () => void log.push(`${name}.cleanup`),
  };
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

async function collect(source: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('Pipeline#process', () => {
  it('runs one item through every node and returns the outputs as an array', async () => {
    const pipeline = new Pipeline([
      { name: 'double', process: (x: number) => x * 2 },
      { name: 'inc', process: (x: number) => x + 1 },
    ]);
    expect(await pipeline.process(5)).toEqual([11]);
    await pipeline.close();
  });

  it('returns an empty array when a node filters and many items when a generator fans out', async () => {
    const pipeline = new Pipeline([
      { name: 'odd-only', process: (x: number) => (x % 2 ? x : undefined) },
      {
        name: 'repeat',
        *process(x: number) {
          yield x;
          yield x;
        },
      },
      { name: 'async', process: async (x: number) => x * 10 },
    ]);
    expect(await pipeline.process(2)).toEqual([]);
    expect(await pipeline.process(3)).toEqual([30, 30]);
  });

  it('treats a returned array as one item', async () => {
    const pipeline = new Pipeline([{ name: 'pair', process: (x: number) => [x, x] }]);
    expect(await pipeline.process(1)).toEqual([[1, 1]]);
  });

  it('flush() drains buffered items through the rest of the chain', async () => {
    const pipeline = new Pipeline([new BufferNode({ size: 3 }), { name: 'len', process: (batch: unknown[]) => batch.length }]);
    expect(await pipeline.process('a')).toEqual([]);
    expect(await pipeline.process('b')).toEqual([]);
    expect(await pipeline.flush()).toEqual([2]);
  });

  it('initializes once before the first item and cleans up once, in reverse order, on close', async () => {
    const log: string[] = [];
    const pipeline = new Pipeline([recorder(log, 'a'), recorder(log, 'b')]);
    await pipeline.process(1);
    await pipeline.process(2);
    await pipeline.close();
    await pipeline.close();
    expect(log).toEqual(['a.initialize', 'b.initialize', 'b.cleanup', 'a.cleanup']);
    await expect(pipeline.process(3)).rejects.toMatchObject({ code: ErrorCode.Disposed });
  });

  it('names the failing node, keeps the cause, uses NODE_FAILED, and cleans up once', async () => {
    const log: string[] = [];
    const boom = new TypeError('boom');
    const pipeline = new Pipeline([
      recorder(log, 'first'),
      recorder(log, 'broken', () => {
        throw boom;
      }),
    ]);
    const error = await pipeline.process(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ code: ErrorCode.NodeFailed, nodeName: 'broken', nodeIndex: 1, phase: 'process', cause: boom });
    expect((error as Error).message).toContain('"broken"');
    await pipeline.close();
    expect(log).toEqual(['first.initialize', 'broken.initialize', 'broken.cleanup', 'first.cleanup']);
    expect(pipeline.stats()[1]).toMatchObject({ errors: 1 });
  });

  it('keeps the code of a RemoteMediaError cause', async () => {
    const pipeline = new Pipeline([
      {
        name: 'div',
        process: () => {
          throw new RemoteMediaError(ErrorCode.DivisionByZero, 'x/0');
        },
      },
    ]);
    await expect(pipeline.process(1)).rejects.toMatchObject({ code: ErrorCode.DivisionByZero, nodeName: 'div' });
  });

  it('cleans up the nodes already initialized when an initialize fails', async () => {
    const log: string[] = [];
    const failing: PipelineNode = {
      name: 'bad',
      initialize: () => {
        throw new Error('no device');
      },
      cleanup: () => void log.push('bad.cleanup'),
    };
    const pipeline = new Pipeline([recorder(log, 'ok'), failing, recorder(log, 'never')]);
    await expect(pipeline.process(1)).rejects.toMatchObject({ nodeName: 'bad', phase: 'initialize' });
    expect(log).toEqual(['ok.initialize', 'ok.cleanup']);
  });

  it('rejects bad queue options with INVALID_CONFIG', () => {
    expect(() => new Pipeline([], { queue: { capacity: 0 } })).toThrow(/options\.queue\.capacity/);
    expect(() => new Pipeline([{ name: 'x', queue: { policy: 'drop-newest' as never } }])).toThrow(RemoteMediaError);
  });
});

describe('Pipeline#stream', () => {
  it('streams items, fans out and flushes buffered items at the end', async () => {
    const pipeline = new Pipeline([new BufferNode({ size: 4 })]);
    const out = await collect(pipeline.stream([1, 2, 3, 4, 5, 6]));
    expect(out).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(pipeline.closed).toBe(true);
  });

  it('accepts async sources and async generator nodes', async () => {
    async function* source() {
      for (let i = 0; i < 3; i++) yield i;
    }
    const pipeline = new Pipeline([
      {
        name: 'twice',
        async *process(x: number) {
          yield x;
          yield x + 0.5;
        },
      },
    ]);
    expect(await collect(pipeline.stream(source()))).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('runs initialize once before the first item and cleanup once after the last', async () => {
    const log: string[] = [];
    const pipeline = new Pipeline([recorder(log, 'a', (x) => (log.push(`a.process ${x}`), x))]);
    for await (const item of pipeline.stream([1, 2])) log.push(`out ${item}`);
    expect(log).toEqual(['a.initialize', 'a.process 1', 'out 1', 'a.process 2', 'out 2', 'a.cleanup']);
  });

  it('ends with a NodeError naming the node and still cleans every node up once', async () => {
    const log: string[] = [];
    const pipeline = new Pipeline([
      recorder(log, 'ok'),
      recorder(log, 'fails-on-3', (x) => {
        if (x === 3) throw new Error('bad item');
        return x;
      }),
    ]);
    const error = await collect(pipeline.stream([1, 2, 3, 4])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.NodeFailed, nodeName: 'fails-on-3', phase: 'process' });
    expect(log.filter((l) => l.endsWith('cleanup'))).toEqual(['fails-on-3.cleanup', 'ok.cleanup']);
    expect(pipeline.stats()[1]!.errors).toBe(1);
  });

  it('reports errors through the error event', async () => {
    const pipeline = new Pipeline([
      {
        name: 'x',
        process: () => {
          throw new Error('nope');
        },
      },
    ]);
    const seen: string[] = [];
    pipeline.on('error', ({ error }) => seen.push(error.nodeName));
    await expect(collect(pipeline.stream([1]))).rejects.toBeInstanceOf(NodeError);
    expect(seen).toEqual(['x']);
  });

  it('cleans up when the consumer stops early and stops pulling the source', async () => {
    const log: string[] = [];
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield i;
      }
    }
    const pipeline = new Pipeline([recorder(log, 'a')]);
    for await (const item of pipeline.stream(source())) if (item === 2) break;
    expect(log.at(-1)).toBe('a.cleanup');
    expect(pulled).toBeLessThan(100);
  });

  it('drop-oldest: counts drops, reports each one, and keeps the latest items', async () => {
    const release = gate();
    let first = true;
    const slow: PipelineNode<number, number> = {
      name: 'slow',
      queue: { capacity: 2, policy: 'drop-oldest' },
      async process(x) {
        if (first) {
          first = false;
          await release.wait;
        }
        return x;
      },
    };
    const pipeline = new Pipeline([slow]);
    const drops: number[] = [];
    pipeline.on('drop', (event) => drops.push(event.item as number));
    async function* source() {
      for (let i = 0; i < 10; i++) yield i;
      release.open();
    }
    const out = await collect(pipeline.stream(source()));
    expect(out).toEqual([0, 8, 9]);
    expect(drops).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pipeline.stats()[0]).toMatchObject({ name: 'slow', processed: 3, dropped: 7, errors: 0, queueDepth: 0 });
  });

  it('block: the producer waits while the node is busy (backpressure), nothing is lost', async () => {
    const release = gate();
    const pulls: number[] = [];
    let depthWhileBlocked = -1;
    const pipeline = new Pipeline([
      { name: 'slow', queue: { capacity: 2, policy: 'block' }, process: async (x: number) => (x === 0 ? release.wait.then(() => x) : x) },
    ]);
    async function* source() {
      for (let i = 0; i < 20; i++) {
        pulls.push(i);
        yield i;
      }
    }
    const run = collect(pipeline.stream(source()));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const pulledWhileBlocked = pulls.length;
    depthWhileBlocked = pipeline.stats()[0]!.queueDepth;
    release.open();
    const out = await run;
    // Item 0 in the node, two queued, one held by the waiting producer.
    expect(pulledWhileBlocked).toBe(4);
    expect(depthWhileBlocked).toBe(2);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(pipeline.stats()[0]!.dropped).toBe(0);
  });

  it('rejects process() while streaming and any use after the stream ended', async () => {
    const release = gate();
    const pipeline = new Pipeline([{ name: 'wait', process: async (x: number) => (await release.wait, x) }]);
    const run = collect(pipeline.stream([1]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(pipeline.process(2)).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
    release.open();
    expect(await run).toEqual([1]);
    await expect(collect(pipeline.stream([1]))).rejects.toMatchObject({ code: ErrorCode.Disposed });
  });

  it('a throwing event listener does not break the pipeline', async () => {
    const pipeline = new Pipeline([{ name: 'x', queue: { capacity: 1, policy: 'drop-oldest' }, process: async (x: number) => x }]);
    pipeline.on('drop', () => {
      throw new Error('listener bug');
    });
    const out = await collect(pipeline.stream([1, 2, 3, 4, 5]));
    expect(out.at(-1)).toBe(5);
  });
});
