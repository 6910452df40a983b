import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { startEdge } from '../support/edgeProcess.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page across an edge restart', () => {
  const fixture = useEdgeAndBrowser();

  it('reconnects to the restarted edge on the same port and keeps processing', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, 'rgba');
    const before = await demo.start();
    await demo.waitFor((p) => p.framesReceived >= 5, 'frames before the restart');
    const port = new URL(fixture.edge.url).port;

    await fixture.edge.stop();
    const restarted = await startEdge(['--port', port]);
    demo.edge = restarted;
    fixture.edge = restarted;
    expect(restarted.url).toBe(`http://127.0.0.1:${port}`);

    const countAtRestart = (await demo.probe()).framesReceived;
    const after = await demo.waitFor(
      (p) => (p.stats?.reconnects ?? 0) >= 1 && p.stats?.state === 'connected' && p.framesReceived >= countAtRestart + 10,
      'frames after the reconnect',
      { timeoutMs: 60_000, allowErrors: true },
    );
    expect(after.videoNode).toBe(before.videoNode);
    // Frames in flight at the drop are rejected as CONNECTION_CLOSED (counted, not shown as errors); while the
    // session re-creates its nodes on the new edge, frames fail fast the same way. Nothing else may go wrong.
    expect(after.errorDetails).toEqual([]);
    for (const { input, output } of after.samples) {
      expect(output[0]).toBe((input[0] * 77 + input[1] * 150 + input[2] * 29) >> 8);
    }
    expect(await demo.page.textContent('#stat-state')).toMatch(/^connected, \d+ reconnects?$/);
    await demo.screenshot('demo-reconnected');
    await demo.finish();
  }, 120_000);
});
