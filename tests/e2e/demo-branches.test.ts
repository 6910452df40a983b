import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page: one camera, two branches on the edge (camera -> Grayscale and camera -> MotionDetector)', () => {
  const fixture = useEdgeAndBrowser();

  it.each(['rgba', 'i420'] as const)(
    'draws gray frames and boxed motion side by side, each checked against its camera frame (%s)',
    async (format) => {
      const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, format);
      await demo.start();
      await demo.page.click('#tab-branches');
      await demo.page.click('#run-branches');
      const state = await demo.waitFor(
        (p) => (p.branches.gray?.frames ?? 0) >= 15 && (p.branches.motion?.frames ?? 0) >= 15,
        '15 frames from each branch',
        { timeoutMs: 60_000 },
      );
      expect(state.errors).toEqual([]);
      for (const branch of ['gray', 'motion']) {
        const probe = state.branches[branch]!;
        expect(probe.firstWrong, `${branch}: ${probe.firstWrong}`).toBeUndefined();
        expect(probe.correct).toBe(probe.frames);
      }
      // The fake camera's pie turns and its clock ticks: the motion branch finds moving regions in most frames.
      expect(state.branches.motion!.detections).toBeGreaterThan(state.branches.motion!.frames / 2);
      expect(await demo.page.isVisible('#branch-figure')).toBe(true);
      expect(state.transport).toBe('datachannel');
      await demo.screenshot(`demo-branches-${format}`);

      // Back to one node: the second canvas goes away and the single node's frames flow again.
      await demo.page.click('#stop-branches');
      const before = (await demo.probe()).framesReceived;
      await demo.waitFor((p) => p.framesReceived >= before + 10, 'the single node again');
      expect(await demo.page.isVisible('#branch-figure')).toBe(false);
      await demo.finish();
    },
    120_000,
  );
});
