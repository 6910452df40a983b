import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { repoRoot } from '../support/edgeProcess.ts';
import type { ProbeState } from './demoPage.ts';

describe('demo page: camera -> GrayscaleNode in the edge sandbox -> canvas', () => {
  const fixture = useEdgeAndBrowser();

  // I420 is the page's default (fewer bytes per frame); RGBA is the format the node's pixel loop is written for.
  it.each(['i420', 'rgba'] as const)('shows 30+ grayscale frames (%s) that came back over the WebRTC data channel', async (format) => {
    const page = await fixture.browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${fixture.edge.url}/${format === 'rgba' ? '?format=rgba' : ''}`);
    await page.click('#start');
    const state = await page
      .waitForFunction(
        () => {
          const probe = (window as unknown as { remotemediaDemo?: ProbeState }).remotemediaDemo;
          return probe && (probe.framesReceived >= 30 || probe.errors.length > 0) ? JSON.parse(JSON.stringify(probe)) : undefined;
        },
        undefined,
        { timeout: 60_000, polling: 200 },
      )
      .then((handle) => handle.jsonValue() as Promise<ProbeState>)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\npage console:\n${consoleLines.join('\n')}\nedge:\n${fixture.edge.stderr()}`);
      });

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
    const transportText = await page.textContent('#stat-transport');
    expect(transportText).toBe('WebRTC data channel');
    mkdirSync(`${repoRoot}test-results`, { recursive: true });
    await page.screenshot({ path: `${repoRoot}test-results/demo-grayscale-${format}.png`, fullPage: true });
    await page.close();
  }, 90_000);
});
