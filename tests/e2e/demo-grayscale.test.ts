import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page: camera -> GrayscaleNode in the edge sandbox -> canvas', () => {
  const fixture = useEdgeAndBrowser();

  // Raw frames (DemoPage's default), so Auto would pick I420; both formats are named to pin them.
  it.each(['i420', 'rgba'] as const)(
    'shows 30+ grayscale frames (%s) that came back over the WebRTC data channel',
    async (format) => {
      const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, format);
      await demo.start();
      const state = await demo.waitFor((p) => p.framesReceived >= 30, '30 grayscale frames', { timeoutMs: 60_000 });

      expect(state.errors).toEqual([]);
      expect(state.framesReceived).toBeGreaterThanOrEqual(30);
      // The data channel, not the WebSocket fallback, carried the frames.
      expect(state.transport).toBe('datachannel');
      // The fake camera's pattern is colourful: some sampled input pixels have R, G, B apart...
      const colourful = state.samples.filter(({ input: [r, g, b] }) => Math.max(r, g, b) - Math.min(r, g, b) > 16);
      expect(colourful.length).toBeGreaterThan(0);
      // ...and every returned pixel is gray, with the luma of its input: the Rec.601 formula the node computes on
      // RGBA, or, on I420, the input's own Y plane untouched (the node only neutralises chroma).
      for (const { input, output, lumaIn, lumaOut } of state.samples) {
        expect(output[0]).toBe(output[1]);
        expect(output[1]).toBe(output[2]);
        if (format === 'rgba') expect(output[0]).toBe((input[0] * 77 + input[1] * 150 + input[2] * 29) >> 8);
        else expect(lumaOut).toBe(lumaIn);
      }
      expect(await demo.page.textContent('#stat-transport')).toBe('WebRTC data channel');
      await demo.screenshot(`demo-grayscale-${format}`);
      await demo.finish();
    },
    90_000,
  );
});
