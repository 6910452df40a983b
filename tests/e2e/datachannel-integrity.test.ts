import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { peersAnswered } from '../support/peersAnswered.ts';
import { messageSizes } from '../support/randomMessages.ts';
import { sdkPageScript } from '../support/sdkPageScript.ts';

const ECHO = 'export class Echo { echo(bytes) { return bytes; } }';

// The patched werift SCTP on the edge against Chromium's own SCTP: random messages of 1 B to 256 KiB go
// from the page to a real edge over the data channel and back, four in flight, and each comes back whole,
// byte-exact and in order.
describe('data channel between Chromium and the edge (patched werift)', () => {
  const fixture = useEdgeAndBrowser();

  it('echoes random messages of 1 B to 256 KiB byte-exact and in order', async () => {
    const page = await fixture.browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${fixture.edge.url}/`);
    await page.addScriptTag({ content: await sdkPageScript() });
    const sizes = messageSizes(50, 4, 256 * 1024);
    const answered = await peersAnswered(fixture.edge.url);
    const result = await page.evaluate(
      async ({ sizes, source, depth }) => {
        const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
        const session = await R.connect(location.origin, { transport: 'datachannel', reconnect: false });
        const node = await session.deploy(await R.packSources({ sources: { 'echo.js': source }, entry: 'echo.js', exportName: 'Echo' }));
        // Seeded xorshift bytes per message, so every run sends the same messages.
        const sent = sizes.map((size, index) => {
          const bytes = new Uint8Array(size);
          let x = Math.imul(index + 1, 2654435761) >>> 0 || 1;
          for (let i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = x & 255;
          }
          return bytes;
        });
        const arrivals: number[] = [];
        const mismatches: string[] = [];
        const inFlight = new Set<Promise<void>>();
        let next = 0;
        while (next < sent.length || inFlight.size > 0) {
          while (inFlight.size < depth && next < sent.length) {
            const index = next++;
            const call: Promise<void> = node.call<Uint8Array>('echo', sent[index]!.slice()).then((back) => {
              arrivals.push(index);
              const want = sent[index]!;
              let same = back instanceof Uint8Array && back.length === want.length;
              for (let i = 0; same && i < want.length; i++) same = back[i] === want[i];
              if (!same) mismatches.push(`message ${index}: ${want.length} bytes sent, ${back?.length} different bytes back`);
            });
            inFlight.add(call);
            void call.finally(() => inFlight.delete(call));
          }
          await Promise.race(inFlight);
        }
        const transport = session.transport;
        session.close();
        return { transport, arrivals, mismatches };
      },
      { sizes, source: ECHO, depth: 4 },
    );
    expect(result.transport, consoleLines.join('\n')).toBe('datachannel');
    expect(result.mismatches).toEqual([]);
    expect(result.arrivals).toEqual(sizes.map((_, index) => index));
    // Chromium got the standard 1,200-byte chunks: it aborts an association on chunks over ~4,000 bytes.
    expect(await peersAnswered(fixture.edge.url)).toEqual({ standard: answered.standard + 1, large: answered.large });
    await page.close();
  }, 120_000);
});
