import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

describe('demo page when WebRTC cannot connect', () => {
  const fixture = useEdgeAndBrowser();

  it('falls back to the WebSocket, says why, and still processes frames', async () => {
    // Launch flags cannot make ICE fail here: with loopback refused Chromium still reaches the edge's loopback
    // candidate from its LAN address. Restricting the page's peer connections to relay candidates, with no TURN
    // server, fails ICE for certain, like a network that blocks UDP.
    const page = await fixture.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = class extends Native {
        constructor(config?: RTCConfiguration) {
          super({ ...config, iceTransportPolicy: 'relay' });
        }
      };
    });
    const demo = await DemoPage.open(fixture.browser, fixture.edge, page);
    await demo.page.click('#start');
    const state = await demo.waitFor((p) => p.running && p.framesReceived >= 10 && p.stats !== undefined, 'frames over the fallback', {
      timeoutMs: 60_000,
    });
    expect(state.stats!.transport).toBe('websocket');
    expect(state.stats!.fallbackReason).toMatch(/WebRTC unavailable/);
    // The page's default I420 frames: gray out, luma untouched.
    expect(state.samples.length).toBeGreaterThan(0);
    for (const { output, lumaIn, lumaOut } of state.samples) {
      expect(output[0]).toBe(output[1]);
      expect(output[1]).toBe(output[2]);
      expect(lumaOut).toBe(lumaIn);
    }
    expect(await demo.page.textContent('#stat-transport')).toMatch(/^WebSocket \(WebRTC unavailable/);
    await demo.screenshot('demo-websocket-fallback');
    await demo.finish();
  }, 90_000);
});
