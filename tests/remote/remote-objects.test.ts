import { remoteRejection } from '../support/remoteRejection.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline } from '@remotemedia/shared';
import { connect, ErrorCode, packSources, type RemoteSession } from '@remotemedia/browser-sdk/node';
import { startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { SimpleCalculator } from '../fixtures/remote/SimpleCalculator.ts';
import { DataProcessor } from '../fixtures/remote/DataProcessor.ts';
import { Counter } from '../fixtures/remote/Counter.ts';
import { Hostile } from '../fixtures/remote/Hostile.ts';
import { LoudnessMeter } from '../fixtures/remote/LoudnessMeter.ts';

describe('remote objects: user classes shipped with their module graph into edge sandboxes', () => {
  let edge: EdgeProcess;
  let session: RemoteSession;

  beforeAll(async () => {
    edge = await startEdge(['--sandbox-call-timeout-ms', '500', '--sandbox-memory-mb', '24']);
    session = await connect(edge.url);
  });

  afterAll(async () => {
    session?.close();
    await edge?.stop();
  });

  it('SimpleCalculator keeps its state across calls (class found and packed with its imports)', async () => {
    const calc = await session.remote<SimpleCalculator>(SimpleCalculator, 3);
    expect(await calc.add(2, 3)).toBe(5);
    expect(await calc.multiply(4, 2.5)).toBe(10);
    expect(await calc.divide(1, 3)).toBe(0.333);
    expect(await calc.operations()).toBe(3);
    const snapshot = await calc.$snapshot();
    expect(snapshot.history).toEqual(['2+3', '4*2.5', '1/3']);
    expect(snapshot.precision).toBe(3);
    await calc.$dispose();
  });

  it('propagates division by zero as a RemoteError with name, stack, node and method; the instance stays usable', async () => {
    const calc = await session.remote<SimpleCalculator>(SimpleCalculator);
    await calc.add(1, 1);
    const error = await remoteRejection(calc.divide(7, 0));
    expect(error.code).toBe(ErrorCode.UserError);
    expect(error.remoteName).toBe('DivisionByZeroError');
    expect(error.remoteMessage).toBe('cannot divide 7 by zero');
    expect(error.nodeName).toBe('SimpleCalculator');
    expect(error.method).toBe('divide');
    expect(error.remoteStack).toMatch(/lib\/errors\.ts|SimpleCalculator\.ts/);
    expect(await calc.operations()).toBe(1);
    await calc.$dispose();
  });

  it('DataProcessor accumulates sums and counts across calls; a snapshot keeps Map, Set, Date, BigInt and typed arrays', async () => {
    const processor = await session.remote<DataProcessor>(DataProcessor);
    expect(await processor.processList([1, 2, 3], 'a')).toEqual({ sum: 6, count: 1, mean: 2, labels: 1 });
    expect(await processor.processList([10, 20], 'b')).toEqual({ sum: 30, count: 2, mean: 15, labels: 2 });
    expect(await processor.processList([4], 'a')).toEqual({ sum: 4, count: 3, mean: 4, labels: 2 });
    expect(await processor.summary()).toEqual({ total: 40, count: 3, big: '6', labels: ['a', 'b'] });
    const state = await processor.$snapshot();
    expect(state.byLabel).toBeInstanceOf(Map);
    expect([...state.byLabel!]).toEqual([
      ['a', 10],
      ['b', 30],
    ]);
    expect(state.seen).toBeInstanceOf(Set);
    expect(state.startedAt).toBeInstanceOf(Date);
    expect(state.big).toBe(6n);
    expect(state.samples).toBeInstanceOf(Float32Array);
    expect([...state.samples!]).toEqual([0, 6, 30, 4]);
    await processor.$dispose();
  });

  it('keeps state over many calls', async () => {
    const counter = await session.remote<Counter>(Counter);
    let last = 0;
    for (let i = 0; i < 200; i++) last = await counter.increment(2);
    expect(last).toBe(400);
    await counter.$dispose();
  });

  it('ships an already-built instance with its fields, like pickling, and the remote copy continues from there', async () => {
    const local = new DataProcessor();
    local.processList([5, 5], 'x');
    local.processList([1], 'y');
    const remote = await session.remote<DataProcessor>(local);
    expect(await remote.processList([2], 'x')).toEqual(local.processList([2], 'x'));
    expect(await remote.summary()).toEqual(local.summary());
    const state = await remote.$snapshot();
    expect([...state.byLabel!]).toEqual([...local.byLabel]);
    expect(state.big).toBe(local.big);
    await remote.$dispose();
  });

  it('runs the same class locally and remotely with identical results', async () => {
    const local = new SimpleCalculator(4);
    const remote = await session.remote<SimpleCalculator>(SimpleCalculator, 4);
    const inputs: Array<[number, number]> = [
      [1, 3],
      [2.5, -7],
      [1e6, 3],
      [0.1, 0.2],
    ];
    for (const [a, b] of inputs) {
      expect(await remote.add(a, b)).toBe(local.add(a, b));
      expect(await remote.divide(a, b)).toBe(local.divide(a, b));
    }
    expect(await remote.operations()).toBe(local.operations());
    await remote.$dispose();
  });

  it("imports the SDK's own nodes, which the edge provides inside the sandbox, with the same results as locally", async () => {
    const samples = Array.from({ length: 960 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48_000));
    const local = new LoudnessMeter(-6);
    const remote = await session.remote<LoudnessMeter>(LoudnessMeter, -6);
    const measured = await remote.measure(samples);
    expect(measured).toBe(await local.measure(samples));
    // A 0.5 sine is -9.03 dBFS RMS; 6 dB less is about -15.
    expect(measured).toBeCloseTo(-15.05, 1);
    await remote.$dispose();
  });

  it('works as a Pipeline node and forwards console output with the node name', async () => {
    const lines: string[] = [];
    const off = session.on('console', (entry) => lines.push(`${entry.nodeName}: ${entry.text}`));
    const counter = await session.remote<Counter>(Counter);
    const pipeline = new Pipeline([counter.$node]);
    const out: unknown[] = [];
    for await (const item of pipeline.stream([{ value: 1 }, { value: 2 }, { value: 3 }])) out.push(item);
    expect(out).toEqual([
      { value: 2, index: 1 },
      { value: 4, index: 2 },
      { value: 6, index: 3 },
    ]);
    expect(lines).toEqual(['Counter: processing item 1', 'Counter: processing item 2', 'Counter: processing item 3']);
    off();
  });

  it('sends a package once: a second deploy of the same code reuses the edge cache', async () => {
    // A unique source, so no earlier test has put this package in the edge's cache.
    const marker = `${Date.now()}-${Math.random()}`;
    const pkg = await packSources({
      sources: { 'tagged.js': `export class Tagged { tag() { return ${JSON.stringify(marker)}; } }\n// ${'padding '.repeat(200)}` },
      entry: 'tagged.js',
      exportName: 'Tagged',
    });
    const measure = async (): Promise<number> => {
      const before = session.stats().bytesSent;
      const node = await session.deploy(pkg);
      expect(await node.call('tag')).toBe(marker);
      await node.dispose();
      return session.stats().bytesSent - before;
    };
    const cold = await measure();
    const cached = await measure();
    expect(cold).toBeGreaterThan(pkg.manifest.totalSize);
    expect(cached).toBeLessThan(pkg.manifest.totalSize);
  });

  describe('hostile code', () => {
    it('stops an infinite loop within its deadline while another session keeps streaming', async () => {
      const other = await connect(edge.url);
      try {
        const busy = await other.remote<Counter>(Counter);
        const hostile = await session.remote<Hostile>(Hostile);
        const started = Date.now();
        const spinning = remoteRejection(hostile.spin());
        let processed = 0;
        while (Date.now() - started < 400) {
          const [out] = await busy.$node.process({ value: processed });
          expect(out).toEqual({ value: processed * 2, index: processed + 1 });
          processed++;
        }
        const error = await spinning;
        expect(error.code).toBe(ErrorCode.SandboxTimeout);
        expect(error.nodeName).toBe('Hostile');
        expect(processed).toBeGreaterThan(5);
        const after = await remoteRejection(hostile.escape());
        expect(after.code).toBe(ErrorCode.SandboxDiscarded);
        expect(after.message).toMatch(/time|deadline|timeout/i);
      } finally {
        other.close();
      }
    });

    it('stops a memory bomb and deep recursion with their own codes', async () => {
      const hog = await session.remote<Hostile>(Hostile);
      expect((await remoteRejection(hog.hog())).code).toBe(ErrorCode.SandboxOutOfMemory);
      const deep = await session.remote<Hostile>(Hostile);
      expect((await remoteRejection(deep.recurse())).code).toBe(ErrorCode.SandboxStackOverflow);
    });

    it('has no process, require, fetch, timers or WebAssembly inside, and prototype pollution stays inside', async () => {
      const hostile = await session.remote<Hostile>(Hostile);
      expect(await hostile.escape()).toEqual([]);
      expect(await hostile.pollute()).toBe('done');
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      const fresh = await session.remote<SimpleCalculator>(SimpleCalculator);
      expect(await fresh.add(1, 1)).toBe(2);
    });
  });
});
