import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '@remotemedia/browser-sdk';

function feed(limit: InFlightLimit, ms: number, frames: number): void {
  for (let i = 0; i < frames; i++) limit.observe(ms);
}

describe('InFlightLimit', () => {
  it('starts at its max; a drop or skip on the edge takes it down by one at once, never under one', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 4, max: 3 });
    expect(limit.stats()).toEqual({ limit: 3, adaptive: true, reason: 'start', changes: 0 });
    limit.congested('the edge dropped a frame');
    expect(limit.stats()).toMatchObject({ limit: 2, reason: 'down to 2: the edge dropped a frame', changes: 1 });
    limit.congested('the edge skipped a frame');
    limit.congested('again');
    expect(limit.limit).toBe(1);
  });

  it('a long round trip alone does not take it down (one frame out would only cost frames)', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 4 });
    feed(limit, 500, 40);
    expect(limit.stats()).toMatchObject({ limit: 2, changes: 0 });
  });

  it('grows back after a window within budget with no drop, and not while windows are over budget', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 4 });
    limit.congested('dropped');
    feed(limit, 80, 12);
    expect(limit.limit).toBe(1);
    feed(limit, 20, 3);
    expect(limit.limit).toBe(1);
    feed(limit, 20, 1);
    expect(limit.stats()).toMatchObject({ limit: 2, reason: 'up to 2: round trip median 20 ms within the 50 ms budget', changes: 2 });
    // Never past its max.
    feed(limit, 20, 40);
    expect(limit.stats()).toMatchObject({ limit: 2, changes: 2 });
  });

  it('waits twice as long to grow again each time a grow is undone within a window (no flapping), up to 8 windows', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 2 });
    const grewAfter: number[] = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      limit.congested('the edge dropped a frame');
      expect(limit.limit).toBe(1);
      let windows = 0;
      while (limit.limit === 1 && windows < 100) {
        feed(limit, 20, 2);
        windows++;
      }
      grewAfter.push(windows);
      // At two frames out the edge drops again before a window completes: the grow is undone.
    }
    expect(grewAfter).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('a fixed limit never changes', () => {
    const limit = InFlightLimit.fixed(3);
    feed(limit, 500, 20);
    limit.congested('dropped');
    expect(limit.stats()).toEqual({ limit: 3, adaptive: false, reason: 'fixed', changes: 0 });
  });
});
