import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { sdkPageScript } from '../support/sdkPageScript.ts';
import { DemoPage } from './demoPage.ts';

/**
 * Issue 12, item 4, in the browser: leaving `for await (... of pipeline.stream(source))` early (break, throw,
 * return) while a live source waits for its next chunk was an unhandled rejection in the page (in Node, a
 * crash). Run in the demo page next to its running session, through a remote node, with the microphone as
 * the source; `finish()` then checks that nothing escaped the page for the whole session.
 */
describe('demo page: leaving a pipeline stream early', () => {
  const fixture = useEdgeAndBrowser();

  it('on break, throw and return: each loop ends as written and no rejection escapes the page', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.page.addScriptTag({ content: await sdkPageScript() });
    const outcome = await demo.page.evaluate(async () => {
      const { connect, openMicrophone, Pipeline } = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const session = await connect(location.origin);
      const mic = await openMicrophone({ frameMs: 20 });
      // A fresh pipeline for each loop: a pipeline closes when its stream ends, however it ends.
      const gainPipeline = async () => new Pipeline([await session.node('Gain', { gainDb: -6 })]);
      try {
        const seen: string[] = [];
        for await (const item of (await gainPipeline()).stream(mic.frames())) {
          seen.push((item as { kind: string }).kind);
          if (seen.length === 3) break;
        }
        let thrown = '';
        try {
          for await (const item of (await gainPipeline()).stream(mic.frames())) if (item) throw new Error('consumer gave up');
        } catch (error) {
          thrown = (error as Error).message;
        }
        const firstKind = async (): Promise<string | undefined> => {
          for await (const item of (await gainPipeline()).stream(mic.frames())) return (item as { kind: string }).kind;
          return undefined;
        };
        const returned = await firstKind();
        // Time for a late rejection from any of the three runs to surface.
        await new Promise((resolve) => setTimeout(resolve, 500));
        return { seen, thrown, returned, state: session.stats().state };
      } finally {
        mic.stop();
        session.close();
      }
    });
    expect(outcome).toEqual({ seen: ['audio', 'audio', 'audio'], thrown: 'consumer gave up', returned: 'audio', state: 'connected' });
    // The demo's own session kept running next to it.
    const probe = await demo.waitFor((p) => p.framesReceived >= 5, 'the demo still processing');
    expect(probe.stats?.state).toBe('connected');
    await demo.finish();
  }, 90_000);
});
