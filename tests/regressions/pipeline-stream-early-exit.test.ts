import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pipeline, type PipelineNode } from '@remotemedia/shared/pipeline';

/**
 * Regression: leaving `for await (... of pipeline.stream(source))` early (break, throw, return) while the source
 * was still waiting for its next item (a microphone between two chunks) crashed Node: the run's pump woke up
 * after the stages were detached and read `.close` of an undefined queue (an unhandled rejection, exit 1).
 */

/** Like a live capture: each item comes a few milliseconds after it is asked for, forever. */
async function* liveSource(): AsyncGenerator<number> {
  for (let i = 0; ; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield i;
  }
}

const double: PipelineNode = { name: 'Double', process: (x) => (x as number) * 2 };
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

describe('leaving a pipeline stream early', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  it('on break: stops the source, keeps what was seen, and leaves no unhandled rejection', async () => {
    const pipeline = new Pipeline([double]);
    const seen: unknown[] = [];
    for await (const item of pipeline.stream(liveSource())) {
      seen.push(item);
      if (seen.length === 3) break;
    }
    await settle();
    expect(seen).toEqual([0, 2, 4]);
    expect(unhandled).toEqual([]);
  });

  it('on a throw from the loop body: the caller gets its own error, nothing else escapes', async () => {
    const pipeline = new Pipeline([double]);
    const run = async (): Promise<void> => {
      for await (const item of pipeline.stream(liveSource())) if (item === 2) throw new Error('consumer gave up');
    };
    await expect(run()).rejects.toThrow('consumer gave up');
    await settle();
    expect(unhandled).toEqual([]);
  });

  it('on return from inside the loop: the function returns its value', async () => {
    const pipeline = new Pipeline([double, { name: 'PlusOne', process: (x) => (x as number) + 1 }]);
    const firstOverFive = async (): Promise<unknown> => {
      for await (const item of pipeline.stream(liveSource())) if ((item as number) > 5) return item;
      return undefined;
    };
    expect(await firstOverFive()).toBe(7);
    await settle();
    expect(unhandled).toEqual([]);
  });
});
