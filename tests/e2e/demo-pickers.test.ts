import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page: size and transport pickers', () => {
  const fixture = useEdgeAndBrowser();

  it('runs 640x480 over the WebSocket, then reconnects over the data channel, then switches to 1280x720', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge, undefined, undefined, { size: '640x480', transport: 'websocket' });
    await demo.start();
    let state = await demo.waitFor((p) => p.framesReceived >= 5, '5 frames at 640x480 over the WebSocket', { timeoutMs: 60_000 });
    expect(state.outputSize).toEqual({ width: 640, height: 480 });
    expect(state.transport).toBe('websocket');
    expect(await demo.page.textContent('#stat-transport')).toBe('WebSocket');

    await demo.page.selectOption('#transport-select', 'datachannel');
    state = await demo.waitFor(
      (p) => p.running && p.transport === 'datachannel' && p.framesReceived >= 5,
      '5 frames after reconnecting on the data channel',
      {
        timeoutMs: 60_000,
      },
    );
    expect(state.outputSize).toEqual({ width: 640, height: 480 });

    await demo.page.selectOption('#size-select', '1280x720');
    state = await demo.waitFor((p) => p.outputSize?.width === 1280, 'a 1280x720 frame back', { timeoutMs: 60_000 });
    expect(state.outputSize).toEqual({ width: 1280, height: 720 });
    expect(state.errors).toEqual([]);
    await demo.screenshot('demo-pickers-1280x720');
    await demo.finish();
  }, 150_000);
});
