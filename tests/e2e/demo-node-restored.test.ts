import { connect, packSources } from '@remotemedia/browser-sdk/node';
import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { DemoPage } from './demoPage.ts';

/** Pins its worker in a native builtin (QuickJS checks no deadline there): the watchdog must terminate the worker. */
const OFFENDER_SOURCE = `
export class Offender {
  pin() { return 'a'.repeat(400000).indexOf('a'.repeat(200000) + 'b'); }
}
`;

describe('demo page: a node the edge re-created after losing its worker', () => {
  // One shared sandbox worker, so another session's runaway code takes the page's node down with it; a short
  // call limit so the watchdog acts quickly.
  const fixture = useEdgeAndBrowser(['--sandbox-workers', '1', '--sandbox-call-timeout-ms', '200']);

  it('is told in the console as a notice, not shown as an error, and goes on processing frames', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.waitFor((p) => p.videoNode === 'GrayscaleNode' && p.framesReceived >= 10, "the page's node running");

    const offender = await connect(fixture.edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 20_000 });
    try {
      const pinner = await offender.deploy(
        await packSources({ sources: { 'offender.js': OFFENDER_SOURCE }, entry: 'offender.js', exportName: 'Offender' }),
      );
      const offence = await pinner.call('pin').then(
        () => undefined,
        (error: unknown) => error as { code?: string },
      );
      expect(offence?.code).toBe('SANDBOX_TIMEOUT');
    } finally {
      offender.close();
    }

    const restored = await demo.waitFor((p) => p.consoleLines.some((l) => l.level === 'notice'), 'the node-restored notice');
    const notice = restored.consoleLines.find((l) => l.level === 'notice')!;
    expect(notice.source).toBe('edge');
    expect(notice.text).toMatch(
      /^GrayscaleNode was re-created by the edge \(with fresh state\) and keeps running: .*another node on its worker would not stop/,
    );
    // Not an error: the panel stays empty (waitFor fails at once on any error) and frames keep coming.
    const framesAtNotice = restored.framesReceived;
    const after = await demo.waitFor((p) => p.framesReceived >= framesAtNotice + 10, 'frames after the restore');
    expect(after.errors).toEqual([]);
    expect(await demo.page.isHidden('#errors')).toBe(true);
    expect(await demo.page.textContent('#console-list .level-notice .console-text')).toBe(notice.text);
    await demo.screenshot('demo-node-restored');
    await demo.finish();
  }, 120_000);
});
