import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from '../e2e/demoPage.ts';

// The demo's "Invert, two modules" template inverts bytes four at a time, as RGBA. It used to receive the page's
// default I420 frames as they were and painted magenta stripes. It now declares `acceptedFormats = ['rgba']`, the
// edge converts every frame to RGBA in the worker that runs it, and what comes back is the inverse of what was
// sent, in every format the camera can give.
describe('regression: the Invert template inverts the picture in every pixel format', () => {
  const fixture = useEdgeAndBrowser();

  it.each(['i420', 'rgba', 'gray'] as const)(
    '%s: the pixels drawn back are the inverse of the camera pixels sent',
    async (format) => {
      const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, format);
      await demo.start();
      await demo.deployTemplate('Invert, two modules (video)');
      const state = await demo.waitFor((p) => p.videoNode === 'InvertNode' && p.samples.length >= 16, '16 samples from InvertNode', {
        timeoutMs: 60_000,
      });
      expect(state.errors).toEqual([]);
      // Samples are the frame sent (as RGB, read as it is drawn) and the frame drawn back, at fixed points. The edge
      // converted the sent frame to RGBA with the same BT.601 conversion the page reads it with, so the inverse is
      // exact up to rounding; a planar frame inverted as RGBA is off by far more at most points.
      for (const { input, output } of state.samples) {
        for (let c = 0; c < 3; c++)
          expect(Math.abs(output[c]! - (255 - input[c]!)), `${format} channel ${c}: ${input} -> ${output}`).toBeLessThanOrEqual(2);
      }
      if (format !== 'gray') {
        const colourful = state.samples.filter(({ input: [r, g, b] }) => Math.max(r, g, b) - Math.min(r, g, b) > 16);
        expect(colourful.length).toBeGreaterThan(0);
      }
      // The stats panel shows deadline skips apart from drops, and where a frame's time goes per stage.
      expect(await demo.page.textContent('#stat-late')).toMatch(/^\d+ video · \d+ in all$/);
      await demo.page.waitForFunction(() => document.querySelector('#stat-stages')?.textContent?.includes('node'), undefined, { timeout: 10_000 });
      expect(await demo.page.textContent('#stat-stages')).toMatch(
        /^network [\d.]+ \/ [\d.]+ · edge queue [\d.]+ \/ [\d.]+ · node [\d.]+ \/ [\d.]+ ms$/,
      );
      await demo.finish();
    },
    120_000,
  );
});
