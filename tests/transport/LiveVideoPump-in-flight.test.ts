import { describe, expect, it } from 'vitest';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import { LiveVideoPump, createVideoFrame, type VideoFrameData } from '@remotemedia/browser-sdk';

/**
 * A node whose replies the test releases one by one, in any order: what the pump does with out-of-order
 * results and drops is then deterministic (no timers, no edge). Real-edge behaviour is in tests/edge.
 */
class HeldNode {
  readonly calls: Array<{ frame: VideoFrameData; resolve: (items: unknown[]) => void; reject: (error: unknown) => void }> = [];

  /** Resolves as RemoteNode.process does: with an iterator over the outputs. */
  process(frame: unknown): Promise<IterableIterator<unknown>> {
    return new Promise((resolve, reject) =>
      this.calls.push({ frame: frame as VideoFrameData, resolve: (items) => resolve(items[Symbol.iterator]()), reject }),
    );
  }
}

/** A source the test pushes frames into; `run` consumes it until `end`. */
class PushedFrames implements AsyncIterable<VideoFrameData> {
  private readonly waiting: Array<(result: IteratorResult<VideoFrameData>) => void> = [];
  private readonly ready: VideoFrameData[] = [];
  private ended = false;

  push(timestamp: number): void {
    const frame = createVideoFrame({ width: 2, height: 2, format: 'gray', timestamp });
    const waiter = this.waiting.shift();
    if (waiter !== undefined) waiter({ value: frame, done: false });
    else this.ready.push(frame);
  }

  end(): void {
    this.ended = true;
    for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<VideoFrameData> {
    return {
      next: () => {
        const frame = this.ready.shift();
        if (frame !== undefined) return Promise.resolve({ value: frame, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiting.push(resolve));
      },
    };
  }
}

/** Lets the pump's loop and promise callbacks run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

describe('LiveVideoPump with several frames in flight', () => {
  it('hands outputs over in capture order: a result older than one already shown is counted and dropped', async () => {
    const node = new HeldNode();
    const shown: number[] = [];
    const pump = new LiveVideoPump(node, { maxInFlight: 3, onOutput: (_items, input) => shown.push(input.timestamp) });
    const source = new PushedFrames();
    const running = pump.run(source);
    for (const t of [0, 1, 2]) source.push(t);
    await settle();
    expect(node.calls.map((c) => c.frame.timestamp)).toEqual([0, 1, 2]);
    node.calls[1]!.resolve(['one']);
    await settle();
    node.calls[0]!.resolve(['zero']); // late: frame 1 was already shown
    node.calls[2]!.resolve(['two']);
    source.end();
    await running;
    await settle();
    expect(shown).toEqual([1, 2]);
    expect(pump.stats).toMatchObject({ captured: 3, sent: 3, received: 3, droppedLate: 1, droppedLocally: 0 });
    expect(pump.missing).toBe(1);
  });

  it('skips a captured frame while the limit is out (latest wins, never a queue) and counts every frame by cause', async () => {
    const node = new HeldNode();
    const pump = new LiveVideoPump(node, { maxInFlight: 2, onOutput: () => undefined, onError: () => undefined });
    const source = new PushedFrames();
    const running = pump.run(source);
    for (const t of [0, 1, 2, 3]) source.push(t);
    await settle();
    expect(node.calls).toHaveLength(2);
    node.calls[0]!.reject(new RemoteMediaError(ErrorCode.FrameDropped, 'edge queue full'));
    node.calls[1]!.reject(new RemoteMediaError(ErrorCode.FrameExpired, 'too old'));
    await settle();
    source.push(4);
    await settle();
    node.calls[2]!.reject(new RemoteMediaError(ErrorCode.ConnectionClosed, 'gone'));
    source.end();
    await running;
    await settle();
    const s = pump.stats;
    expect(s).toMatchObject({ captured: 5, sent: 3, droppedLocally: 2, droppedByEdge: 1, skippedByDeadline: 1, lost: 1, received: 0 });
    expect(s.received + s.droppedLocally + s.droppedByEdge + s.skippedByDeadline + s.lost + s.failed).toBe(s.captured);
  });

  it('by default keeps two frames out, one after the edge drops a frame, two again after a window of quick round trips', async () => {
    const node = new HeldNode();
    const pump = new LiveVideoPump(node, { inFlight: { window: 2, rttBudgetMs: 60_000 }, onOutput: () => undefined });
    expect(pump.inFlightStats()).toMatchObject({ limit: 2, adaptive: true });
    const source = new PushedFrames();
    const running = pump.run(source);
    // Two frames out: the third captured meanwhile is skipped.
    source.push(0);
    source.push(1);
    source.push(2);
    await settle();
    expect(node.calls).toHaveLength(2);
    node.calls[0]!.reject(new RemoteMediaError(ErrorCode.FrameDropped, 'edge queue full'));
    await settle();
    expect(pump.inFlightStats()).toMatchObject({ limit: 1, reason: 'down to 1: the edge dropped a frame (its queue for the node was full)' });
    // One frame out (frame 1 still is): frame 3 is skipped.
    source.push(3);
    await settle();
    expect(node.calls).toHaveLength(2);
    node.calls[1]!.resolve([]);
    await settle();
    source.push(4);
    await settle();
    node.calls[2]!.resolve([]);
    await settle();
    expect(pump.inFlightStats()).toMatchObject({ limit: 2, changes: 2 });
    source.push(5);
    source.push(6);
    await settle();
    expect(node.calls).toHaveLength(5);
    node.calls[3]!.resolve([]);
    node.calls[4]!.resolve([]);
    source.end();
    await running;
    await settle();
    expect(pump.stats).toMatchObject({ captured: 7, sent: 5, droppedLocally: 2, droppedByEdge: 1, received: 4, droppedLate: 0 });
  });

  it('maxInFlight fixes the limit', () => {
    const pump = new LiveVideoPump(new HeldNode(), { maxInFlight: 1, onOutput: () => undefined });
    expect(pump.inFlightStats()).toEqual({ limit: 1, adaptive: false, reason: 'fixed', changes: 0 });
  });
});
