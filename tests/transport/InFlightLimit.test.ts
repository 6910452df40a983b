import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '@remotemedia/browser-sdk';

function feed(limit: InFlightLimit, ms: number, frames: number): void {
  for (let i = 0; i < frames; i++) limit.observe(ms);
}

describe('InFlightLimit', () => {
  it('starts at one frame and grows to two after a window of round trips within budget', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 4 });
    expect(limit.stats()).toEqual({ limit: 1, adaptive: true, reason: 'start', changes: 0 });
    feed(limit, 20, 3);
    expect(limit.limit).toBe(1);
    feed(limit, 20, 1);
    expect(limit.stats()).toMatchObject({ limit: 2, reason: 'up to 2: round trip median 20 ms within the 50 ms budget', changes: 1 });
    // Never past its max.
    feed(limit, 20, 40);
    expect(limit.stats()).toMatchObject({ limit: 2, changes: 1 });
  });

  it('shrinks at once when the edge drops or skips a frame, and on a window over budget', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 4, max: 3 });
    feed(limit, 20, 8);
    expect(limit.limit).toBe(3);
    limit.congested('the edge dropped a frame');
    expect(limit.stats()).toMatchObject({ limit: 2, reason: 'down to 2: the edge dropped a frame' });
    feed(limit, 80, 4);
    expect(limit.stats()).toMatchObject({ limit: 1, reason: 'down to 1: round trip median 80 ms over the 50 ms budget' });
    // Never under one.
    limit.congested('again');
    feed(limit, 80, 8);
    expect(limit.limit).toBe(1);
  });

  it('waits twice as long to grow again each time a grow is undone by the next window (no flapping), up to 8 windows', () => {
    const limit = new InFlightLimit({ rttBudgetMs: 50, window: 2 });
    const grewAfter: number[] = [];
    for (let cycle = 0; cycle < 6; cycle++) {
      let windows = 0;
      while (limit.limit === 1 && windows < 100) {
        feed(limit, 20, 2);
        windows++;
      }
      grewAfter.push(windows);
      // At two frames out the path is over budget: the grow is undone by the next window.
      feed(limit, 90, 2);
      expect(limit.limit).toBe(1);
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
