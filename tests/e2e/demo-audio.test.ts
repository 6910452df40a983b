import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page: microphone -> audio node on the edge -> level meters', () => {
  const fixture = useEdgeAndBrowser();

  it('measures -6 dB after the built-in Gain set to -6 dB', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.applyFromCatalogue('Gain', { gainDb: '-6' });
    // 150 frames of 20 ms: the fake microphone beeps, so this spans several beeps and the gaps between.
    const state = await demo.waitFor(
      (p) => p.audio.nodeName === 'Gain' && p.audio.framesOut >= 150 && p.audio.matchedInputEnergy > 1e-3,
      'Gain output',
    );
    const gainDb = 10 * Math.log10(state.audio.matchedOutputEnergy / state.audio.matchedInputEnergy);
    expect(Math.abs(gainDb - -6)).toBeLessThanOrEqual(0.5);
    // Both meters show a level (not the floor) while the beep plays.
    await demo.page.waitForFunction(() => {
      const values = [...document.querySelectorAll('.meter-value')].map((e) => e.textContent ?? '');
      return values.length === 2 && values.every((v) => /^-?\d+\.\d dB$/.test(v));
    }, undefined, { timeout: 10_000 });
    expect(await demo.page.textContent('#audio-node-name')).toBe('Gain');
    await demo.screenshot('demo-audio-gain');
    await demo.page.close();
  }, 90_000);
});
