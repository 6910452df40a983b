import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEdgeAndAppOrigin } from '../support/appOrigin.ts';
import { launchChromium } from '../support/browser.ts';
import { repoRoot } from '../support/edgeProcess.ts';

/**
 * The README's browser example (examples/browser/camera-pipeline.ts, included there verbatim) as an app would
 * ship it: bundled from its imports, loaded by a page of another origin than the edge, run on Chromium's fake
 * camera against a real edge.
 */
describe('README browser example: camera -> user node + built-in on the edge -> canvas', () => {
  let script = '';
  const site = useEdgeAndAppOrigin(() => (request, response) => {
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><canvas></canvas><script type="module" src="/app.js"></script>');
  });
  let browser: Browser;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [join(repoRoot, 'examples/browser/camera-pipeline.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    script = bundled.outputFiles[0]!.text;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('streams 30 camera frames through both nodes and draws them, with no page error', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${site.appUrl}?edge=${encodeURIComponent(site.edge.url)}`);
    await page.waitForFunction(() => /^\d+ frames over /.test(document.title), undefined, { timeout: 60_000 });
    expect(await page.title()).toMatch(/^30 frames over (datachannel|websocket)$/);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('canvas')!;
      return { width: c.width, height: c.height };
    });
    expect(canvas).toEqual({ width: 320, height: 240 });
    expect(errors).toEqual([]);
    // Both nodes processed every frame on the edge (the sandboxed one and the built-in).
    const metrics = await (await fetch(`${site.edge.url}/metrics`)).text();
    expect(metrics).toMatch(/remotemedia_frames_out_total\{node="Invert"\} 30\b/);
    expect(metrics).toMatch(/remotemedia_frames_out_total\{node="Flip"\} 30\b/);
  });
});
