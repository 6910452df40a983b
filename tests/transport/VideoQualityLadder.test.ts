import { describe, expect, it } from 'vitest';
import { VideoQualityLadder } from '@remotemedia/browser-sdk';

function feed(ladder: VideoQualityLadder, ms: number, frames: number): void {
  for (let i = 0; i < frames; i++) ladder.observe(ms);
}

describe('VideoQualityLadder', () => {
  it('steps JPEG quality down first, then resolution, one window over budget at a time, and stops at the last level', () => {
    const ladder = new VideoQualityLadder(0.8, { rttBudgetMs: 100, window: 4 });
    feed(ladder, 150, 3);
    expect(ladder.stats()).toMatchObject({ level: 0, reason: 'start', changes: 0 });
    feed(ladder, 150, 1);
    expect(ladder.stats()).toMatchObject({ level: 1, scale: 1, reason: 'down to level 1: round trip median 150 ms over the 100 ms budget' });
    expect(ladder.level.quality).toBeLessThan(0.8);
    const seen = [ladder.level];
    for (let i = 0; i < 10; i++) {
      feed(ladder, 150, 4);
      seen.push(ladder.level);
    }
    const qualities = seen.map((level) => level.quality);
    const scales = seen.map((level) => level.scale);
    // Never better as it goes down; resolution only drops once quality has dropped.
    expect(qualities).toEqual([...qualities].sort((a, b) => b - a));
    expect(scales).toEqual([...scales].sort((a, b) => b - a));
    expect(scales.indexOf(0.5)).toBeGreaterThan(qualities.indexOf(0.4));
    expect(ladder.stats().level).toBe(ladder.stats().levels - 1);
  });

  it('holds its level between half the budget and the budget (hysteresis), climbs only with headroom', () => {
    const ladder = new VideoQualityLadder(0.8, { rttBudgetMs: 100, window: 4 });
    feed(ladder, 300, 8);
    expect(ladder.stats().level).toBe(2);
    feed(ladder, 70, 40);
    expect(ladder.stats()).toMatchObject({ level: 2, changes: 2 });
    feed(ladder, 30, 4);
    expect(ladder.stats()).toMatchObject({ level: 1, reason: 'up to level 1: round trip median 30 ms under half the 100 ms budget' });
    feed(ladder, 30, 4);
    expect(ladder.stats()).toMatchObject({ level: 0, quality: 0.8, scale: 1, changes: 4 });
    feed(ladder, 30, 40);
    expect(ladder.stats().level).toBe(0);
  });

  it('decides on the median of a window: one slow frame does not step it down', () => {
    const ladder = new VideoQualityLadder(0.8, { rttBudgetMs: 100, window: 5 });
    for (let i = 0; i < 4; i++) feed(ladder, 60, 4), feed(ladder, 1000, 1);
    expect(ladder.stats().level).toBe(0);
  });
});
