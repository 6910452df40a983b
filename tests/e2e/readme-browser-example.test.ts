import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

/**
 * The README's browser example (examples/browser/camera-pipeline.ts, included there verbatim) as an app would
 * ship it: bundled from its imports, loaded by a page of another origin than the edge, run on Chromium's fake
 * camera against a real edge.
 */
describe('README browser example: camera -> user node + built-in on the edge -> canvas', () => {
  let edge: EdgeProcess;
  let app: Server;
  let browser: Browser;
  let appUrl: string;

  beforeAll(async () => {
    edge = await startEdge();
    const bundled = await build({
      entryPoints: [join(repoRoot, 'examples/browser/camera-pipeline.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    const script = bundled.outputFiles[0]!.text;
    app = createServer((request, response) => {
      if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><canvas></canvas><script type="module" src="/app.js"></script>');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/?edge=${encodeURIComponent(edge.url)}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await edge?.stop();
  });

  it('streams 30 camera frames through both nodes and draws them, with no page error', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(appUrl);
    await page.waitForFunction(() => /^\d+ frames over /.test(document.title), undefined, { timeout: 60_000 });
    expect(await page.title()).toMatch(/^30 frames over (datachannel|websocket)$/);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('canvas')!;
      return { width: c.width, height: c.height };
    });
    expect(canvas).toEqual({ width: 320, height: 240 });
    expect(errors).toEqual([]);
    // Both nodes processed every frame on the edge (the sandboxed one and the built-in).
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    expect(metrics).toMatch(/remotemedia_frames_out_total\{node="Invert"\} 30\b/);
    expect(metrics).toMatch(/remotemedia_frames_out_total\{node="Flip"\} 30\b/);
  });
});
