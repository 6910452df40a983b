import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { repoRoot } from '../support/edgeProcess.ts';
import { sdkModuleScript } from '../support/sdkPageScript.ts';
import { DemoPage } from './demoPage.ts';

/**
 * Two modules, with the characters a generated snippet must carry through a template literal untouched: a
 * backtick, a backslash and `${`.
 */
const PAINT_NODE = [
  "import { COLOUR } from './colour.js';",
  '',
  '// Paints every pixel one colour. Quoting test: a `backtick`, a backslash (\\) and ${not an interpolation}.',
  'export class Paint {',
  '  constructor() {',
  '    this.frames = 0;',
  '  }',
  '',
  '  process(frame) {',
  '    const data = frame.data;',
  '    for (let i = 0; i < data.length; i += 4) {',
  '      data[i] = COLOUR[0];',
  '      data[i + 1] = COLOUR[1];',
  '      data[i + 2] = COLOUR[2];',
  '    }',
  '    this.frames++;',
  "    if (this.frames === 5) console.log('painted', this.frames, 'frames');",
  '    return frame;',
  '  }',
  '}',
  '',
].join('\n');
const COLOUR_MODULE = 'export const COLOUR = [200, 40, 120];\n';

/**
 * Runs `snippet` exactly as copied, as the module of a fresh page served from another origin (an app of its own
 * that knows only the edge's URL). An import map resolves the bare `@remotemedia/browser-sdk` the way a bundler
 * would. The page's server is closed when the page is.
 */
async function runSnippet(
  browser: Browser,
  snippet: string,
): Promise<{ page: Page; console: ConsoleMessage[]; errors: string[]; close(): Promise<void> }> {
  const sdk = await sdkModuleScript();
  const files: Record<string, [string, string]> = {
    '/': [
      'text/html; charset=utf-8',
      '<!doctype html><script type="importmap">{"imports":{"@remotemedia/browser-sdk":"./sdk.js"}}</script><script type="module" src="./app.js"></script>',
    ],
    '/sdk.js': ['text/javascript', sdk],
    '/app.js': ['text/javascript', snippet],
  };
  const server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (file === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await browser.newPage();
  const consoleMessages: ConsoleMessage[] = [];
  const errors: string[] = [];
  page.on('console', (message) => consoleMessages.push(message));
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return {
    page,
    console: consoleMessages,
    errors,
    async close() {
      await page.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('demo page: "use this in your app" snippets that run as copied', () => {
  const fixture = useEdgeAndBrowser();

  it("writes the editor's modules into a snippet that deploys the same node and draws its output", async () => {
    const context = await fixture.browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const demo = await DemoPage.open(fixture.browser, fixture.edge, await context.newPage(), 'rgba');
    await demo.start();
    await demo.deployFromEditor({ 'Paint.js': PAINT_NODE, 'colour.js': COLOUR_MODULE }, 'Paint');
    const state = await demo.waitFor((p) => p.videoNode === 'Paint' && p.framesReceived >= 5, 'the Paint node');
    expect(await demo.page.textContent('#snippet-title')).toBe('Paint on the camera');
    const snippet = (await demo.page.textContent('#snippet-code')) ?? '';
    expect(snippet).toBe(state.snippet);
    expect(snippet).toContain(`await connect('${fixture.edge.url}')`);
    expect(snippet).toContain("openCamera({ width: 320, height: 240, format: 'rgba' })");
    // Copy puts exactly that on the clipboard.
    await demo.page.click('#snippet-copy');
    await demo.page.waitForSelector('#snippet-copied:has-text("Copied")');
    expect(await demo.page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    await demo.screenshot('demo-snippet-editor');
    await demo.finish();
    await context.close();

    const app = await runSnippet(fixture.browser, snippet);
    // The app's canvas shows the node's colour: the modules arrived byte for byte and the node ran on the edge.
    // Within a JPEG's error: the snippet uses the SDK's defaults, which compress video over the data channel.
    await app.page.waitForFunction(
      () => {
        const canvas = document.querySelector('canvas');
        if (canvas === null || canvas.width === 0) return false;
        const [r, g, b] = canvas.getContext('2d')!.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
        return Math.abs(r! - 200) <= 8 && Math.abs(g! - 40) <= 8 && Math.abs(b! - 120) <= 8;
      },
      undefined,
      { timeout: 30_000, polling: 200 },
    );
    // And what the node printed in the sandbox reached the app's console through the snippet's handler.
    await expect.poll(() => app.console.map((m) => m.text()), { timeout: 10_000 }).toContain('[Paint] painted 5 frames');
    expect(app.errors).toEqual([]);
    await app.page.screenshot({ path: `${repoRoot}test-results/demo-snippet-app.png` });
    await app.close();
  }, 120_000);

  it('writes a built-in with the config as entered (defaults left out) into a snippet that logs what the node finds', async () => {
    const demo = await DemoPage.open(fixture.browser, fixture.edge);
    await demo.start();
    await demo.applyFromCatalogue('VoiceActivityDetector', { minSpeechMs: '0' });
    const state = await demo.waitFor(
      (p) => p.audio.nodeName === 'VoiceActivityDetector' && p.snippet.includes('VoiceActivityDetector'),
      'the VAD snippet',
    );
    expect(state.snippet).toContain("const node = await session.node('VoiceActivityDetector', { minSpeechMs: 0 });");
    expect(state.snippet).toContain('const mic = await openMicrophone({ frameMs: 20 });');
    await demo.screenshot('demo-snippet-vad');
    await demo.finish();

    const app = await runSnippet(fixture.browser, state.snippet);
    // The fake microphone beeps every 500 ms: the app logs a speech segment for each.
    const segments = async (): Promise<Array<{ type: string; start: number; end: number }>> => {
      const logged = await Promise.all(app.console.filter((m) => m.type() === 'log').map((m) => m.args()[0]?.jsonValue()));
      return logged.filter((value): value is { type: string; start: number; end: number } => (value as { type?: string })?.type === 'speech-segment');
    };
    await expect.poll(async () => (await segments()).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    for (const segment of await segments()) expect(segment.end).toBeGreaterThan(segment.start);
    expect(app.errors).toEqual([]);
    await app.close();
  }, 120_000);
});
