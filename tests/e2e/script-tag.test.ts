import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';
import { mkdirSync } from 'node:fs';

/** A page of another origin that knows only the edge's URL: one script tag, one global. */
function appPage(edgeUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>script-tag app</title></head>
<body style="font-family: sans-serif">
<h1>Script-tag build</h1>
<canvas id="out"></canvas>
<pre id="log"></pre>
<script src="${edgeUrl}/sdk/remotemedia.iife.js"></script>
<script>
(async () => {
  const { connect, packSources, createVideoFrame, drawVideoFrame } = window.RemoteMedia;
  const session = await connect(${JSON.stringify(edgeUrl)});
  const pkg = await packSources({
    sources: { 'invert.js': 'export class Invert { process(f) { const d = f.data; for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; } return f; } }' },
    entry: 'invert.js',
    exportName: 'Invert',
  });
  const node = await session.deploy(pkg);
  const width = 64, height = 48;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) { data[i] = (i / 4) % 256; data[i + 1] = 40; data[i + 2] = 200; data[i + 3] = 255; }
  const input = Array.from(data);
  const [out] = await node.process(createVideoFrame({ width, height, format: 'rgba', data }));
  drawVideoFrame(document.getElementById('out'), out);
  const stats = session.stats();
  document.getElementById('log').textContent = 'transport: ' + stats.transport + ', round trip ' + stats.rttLastMs.toFixed(1) + ' ms';
  window.result = { input, output: Array.from(out.data), transport: stats.transport, globals: Object.keys(window).filter((k) => /remotemedia/i.test(k)) };
  session.close();
})().catch((error) => { window.result = { error: String(error && error.stack || error) }; });
</script>
</body></html>`;
}

describe('script-tag build served by the edge', () => {
  let edge: EdgeProcess;
  let app: Server;
  let appUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    // The demo build (global setup) empties demo/dist; the SDK build puts the IIFE back into demo/dist/sdk.
    execFileSync(process.execPath, [`${repoRoot}node_modules/vite/bin/vite.js`, 'build', '-c', 'packages/browser-sdk/vite.config.ts', '--logLevel', 'warn'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    edge = await startEdge();
    // Another origin (another port) for the app page, so nothing is shared with the edge but its URL.
    app = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(appPage(edge.url));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await edge?.stop();
  });

  it('serves the IIFE at /sdk/remotemedia.iife.js', async () => {
    const response = await fetch(`${edge.url}/sdk/remotemedia.iife.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    const source = await response.text();
    // A classic script that assigns one global (an ES module would start with import/export statements).
    expect(source.slice(0, 40)).toMatch(/^var RemoteMedia\s*=/);
  });

  it('lets a page on another origin deploy a node and get pixels back with only the script tag', async () => {
    const page = await browser.newPage();
    const lines: string[] = [];
    page.on('console', (message) => lines.push(message.text()));
    await page.goto(appUrl);
    const handle = await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
    const result = (await handle.jsonValue()) as { error?: string; input: number[]; output: number[]; transport: string; globals: string[] };
    expect(result.error, `${result.error}\n${lines.join('\n')}\n${edge.stderr()}`).toBeUndefined();
    expect(result.globals).toEqual(['RemoteMedia']);
    expect(result.transport).toBe('datachannel');
    expect(result.output).toHaveLength(result.input.length);
    for (let i = 0; i < result.input.length; i += 4) {
      expect(result.output.slice(i, i + 4)).toEqual([255 - result.input[i]!, 255 - result.input[i + 1]!, 255 - result.input[i + 2]!, result.input[i + 3]]);
    }
    mkdirSync(`${repoRoot}test-results`, { recursive: true });
    await page.screenshot({ path: `${repoRoot}test-results/script-tag.png` });
    await page.close();
  }, 60_000);
});
