import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { repoRoot, startEdge, type EdgeProcess } from '../support/edgeProcess.ts';

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
      expect(result.output.slice(i, i + 4)).toEqual([
        255 - result.input[i]!,
        255 - result.input[i + 1]!,
        255 - result.input[i + 2]!,
        result.input[i + 3],
      ]);
    }
    mkdirSync(`${repoRoot}test-results`, { recursive: true });
    await page.screenshot({ path: `${repoRoot}test-results/script-tag.png` });
    await page.close();
  }, 60_000);

  it('packs TypeScript only with the transform file beside the script: an inline copy says so, and packs JavaScript', async () => {
    const page = await browser.newPage();
    await page.goto(appUrl);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 30_000 });
    const iife = await (await fetch(`${edge.url}/sdk/remotemedia.iife.js`)).text();
    // A second copy, inline: it has no URL to find remotemedia-typescript.js from.
    await page.evaluate(() => delete (window as unknown as { RemoteMedia?: unknown }).RemoteMedia);
    await page.addScriptTag({ content: iife });
    const outcome = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const js = await R.packSources({ sources: { 'a.js': 'export class A {}' }, entry: 'a.js', exportName: 'A' });
      try {
        await R.packSources({ sources: { 'a.ts': 'export class A { n: number = 1 }' }, entry: 'a.ts', exportName: 'A' });
        return { packedJs: js.manifest.entry, error: undefined };
      } catch (error) {
        return { packedJs: js.manifest.entry, error: { code: (error as { code?: string }).code, message: (error as Error).message } };
      }
    });
    expect(outcome.packedJs).toBe('a.js');
    expect(outcome.error?.code).toBe('COMPILE_ERROR');
    expect(outcome.error?.message).toContain('remotemedia-typescript.js');
    expect(outcome.error?.message).toContain('<script src>');
    await page.close();
  }, 60_000);
});

/**
 * The capture and output helpers, each path (the MediaStreamTrackProcessor/Generator one Chromium takes by
 * default, and the canvas/AudioWorklet one other browsers take), driven through the script-tag build.
 */
describe('capture and output helpers in the browser', () => {
  let edge: EdgeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    edge = await startEdge();
    browser = await launchChromium();
    page = await browser.newPage();
    // The edge's origin is loopback, a secure context, so getUserMedia and AudioWorklet are allowed.
    await page.goto(`${edge.url}/`);
    await page.addScriptTag({ url: '/sdk/remotemedia.iife.js' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await edge?.stop();
  });

  it('reads camera frames in rgba, i420 and gray, scaled, on both capture paths', async () => {
    const frames = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const camera = await R.openCamera({ width: 320, height: 240 });
      const out: Record<string, { width: number; height: number; format: string; bytes: number; mean: number }> = {};
      for (const method of ['track-processor', 'canvas'] as const) {
        for (const format of ['rgba', 'i420', 'gray'] as const) {
          for await (const frame of camera.frames({ width: 160, height: 120, format, method, maxFrames: 2 })) {
            out[`${method}/${format}`] = {
              width: frame.width,
              height: frame.height,
              format: frame.format,
              bytes: frame.data.length,
              mean: frame.data.reduce((a, b) => a + b, 0) / frame.data.length,
            };
          }
        }
      }
      camera.stop();
      return out;
    });
    for (const method of ['track-processor', 'canvas']) {
      expect(frames[`${method}/rgba`]).toMatchObject({ width: 160, height: 120, format: 'rgba', bytes: 160 * 120 * 4 });
      expect(frames[`${method}/i420`]).toMatchObject({ format: 'i420', bytes: 160 * 120 * 1.5 });
      expect(frames[`${method}/gray`]).toMatchObject({ format: 'gray', bytes: 160 * 120 });
      // Real pictures, not zeroed buffers.
      for (const format of ['rgba', 'i420', 'gray']) expect(frames[`${method}/${format}`]!.mean).toBeGreaterThan(10);
    }
  }, 60_000);

  it('draws rgba, gray and i420 frames as the RGB the SDK reads them as (i420 even-sized natively, odd-sized in JS)', async () => {
    const result = await page.evaluate(() => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const out: Record<string, { size: number[]; maxDiff: number; frameKept: boolean }> = {};
      for (const [width, height] of [
        [64, 48],
        [63, 47],
      ] as const) {
        // Smooth gradients: how chroma is upsampled (per 2x2 block or interpolated) does not matter here.
        const data = new Uint8Array(width * height * 4);
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) data.set([40 + x * 2, 200 - y * 2, 90 + ((x + y) >> 1), 255], (y * width + x) * 4);
        const rgba = R.createVideoFrame({ width, height, format: 'rgba', data });
        for (const format of ['rgba', 'gray', 'i420'] as const) {
          const frame = R.convertPixelFormat(rgba, format, 'limited');
          const before = frame.data.slice();
          const canvas = document.createElement('canvas');
          R.drawVideoFrame(canvas, frame);
          const drawn = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          const expected = R.toImageBytes(frame);
          let maxDiff = 0;
          for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(drawn[i]! - expected[i]!));
          out[`${width}x${height}/${format}`] = {
            size: [canvas.width, canvas.height],
            maxDiff,
            frameKept: frame.data.every((v, i) => v === before[i]),
          };
        }
      }
      return out;
    });
    for (const [key, { size, maxDiff, frameKept }] of Object.entries(result)) {
      expect(size, key).toEqual(key.startsWith('64x48') ? [64, 48] : [63, 47]);
      expect(frameKept, key).toBe(true);
      // rgba and gray are put as they are; i420 drawn by the browser rounds its own way (libyuv or Skia).
      expect(maxDiff, key).toBeLessThanOrEqual(key.endsWith('i420') && key.startsWith('64x48') ? 3 : 0);
    }
  }, 60_000);

  it('reads microphone frames as interleaved Float32 on both capture paths', async () => {
    const result = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const mic = await R.openMicrophone();
      type Read = { sampleRate: number; channels: number; samples: number; frames: number; monotonic: boolean };
      const out: { 'track-processor'?: Read; 'audio-worklet'?: Read } = {};
      for (const method of ['track-processor', 'audio-worklet'] as const) {
        const times: number[] = [];
        let last: { sampleRate: number; channels: number; samples: Float32Array } | undefined;
        for await (const frame of mic.frames({ method, frameMs: 20, maxFrames: 10 })) {
          times.push(frame.timestamp);
          last = frame;
        }
        out[method] = {
          sampleRate: last!.sampleRate,
          channels: last!.channels,
          samples: last!.samples.length,
          frames: times.length,
          monotonic: times.every((t, i) => i === 0 || t > times[i - 1]!),
        };
      }
      const trackChannels = mic.track.getSettings().channelCount;
      mic.stop();
      return { ...out, trackChannels };
    });
    for (const method of ['track-processor', 'audio-worklet'] as const) {
      const r = result[method]!;
      expect(r.frames).toBe(10);
      // With voice processing off Chromium's fake microphone opens in stereo (mono with it on).
      expect(r.channels, method).toBe(result.trackChannels);
      expect(r.samples).toBe((r.sampleRate * 20 * r.channels) / 1000);
      expect(r.monotonic).toBe(true);
    }
  }, 60_000);

  it('turns processed frames back into a MediaStream track on both output paths', async () => {
    const pixels = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const out: Record<string, number[]> = {};
      for (const method of ['track-generator', 'canvas'] as const) {
        const writer = new R.VideoTrackWriter({ method, fps: 30 });
        const data = new Uint8Array(64 * 48 * 4);
        for (let i = 0; i < data.length; i += 4) data.set([200, 30, 40, 255], i);
        const timer = setInterval(
          () => writer.write(R.createVideoFrame({ width: 64, height: 48, format: 'rgba', timestamp: performance.now(), data })),
          30,
        );
        let centre: number[] = [];
        for await (const frame of R.cameraFrames(writer.track, { width: 64, height: 48, maxFrames: 3 })) {
          const i = (24 * 64 + 32) * 4;
          centre = Array.from(frame.data.slice(i, i + 3));
        }
        clearInterval(timer);
        writer.close();
        out[method] = centre;
      }
      return out;
    });
    for (const method of ['track-generator', 'canvas']) {
      const [r, g, b] = pixels[method]!;
      // Through a video track colours pass via YUV: close, not exact.
      expect(Math.abs(r! - 200)).toBeLessThanOrEqual(12);
      expect(Math.abs(g! - 30)).toBeLessThanOrEqual(12);
      expect(Math.abs(b! - 40)).toBeLessThanOrEqual(12);
    }
  }, 60_000);

  it('plays audio through the worklet ring buffer and counts the underrun when it runs dry', async () => {
    const stats = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      // The prebuffer holds all 500 ms, so playing starts only once every frame has reached the audio thread:
      // under load the worklet may render between two port messages, which with a small prebuffer would add
      // an early underrun that says nothing about the player.
      const player = await R.AudioPlayer.create({ sampleRate: 48_000, prebufferMs: 500, capacityMs: 1000 });
      // 500 ms of a 440 Hz tone in 10 ms frames, written at once, then nothing: it must play out and run dry.
      for (let f = 0; f < 50; f++) {
        const samples = new Float32Array(480);
        for (let i = 0; i < 480; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (f * 480 + i)) / 48_000);
        player.write(R.createAudioFrame({ sampleRate: 48_000, channels: 1, samples }));
      }
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const result = player.stats();
      await player.close();
      return result;
    });
    expect(stats.framesWritten).toBe(50);
    expect(stats.played).toBe(24_000);
    expect(stats.overflowed).toBe(0);
    expect(stats.underruns).toBe(1);
    expect(stats.buffered).toBe(0);
  }, 30_000);

  it('turns processed audio back into a MediaStream track on both output paths', async () => {
    const result = await page.evaluate(async () => {
      const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
      const out: Record<string, { frames: number; peak: number }> = {};
      for (const method of ['track-generator', 'audio-worklet'] as const) {
        const writer = await R.AudioTrackWriter.create({ method });
        let n = 0;
        const timer = setInterval(() => {
          const samples = new Float32Array(480);
          for (let i = 0; i < 480; i++) samples[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (n * 480 + i)) / 48_000);
          writer.write(R.createAudioFrame({ sampleRate: 48_000, channels: 1, timestamp: n * 10, samples }));
          n++;
        }, 10);
        let frames = 0;
        let peak = 0;
        for await (const frame of R.microphoneFrames(writer.track, { maxFrames: 40 })) {
          frames++;
          for (const s of frame.samples) peak = Math.max(peak, Math.abs(s));
        }
        clearInterval(timer);
        await writer.close();
        out[method] = { frames, peak };
      }
      return out;
    });
    for (const method of ['track-generator', 'audio-worklet']) {
      expect(result[method]!.frames).toBe(40);
      expect(result[method]!.peak).toBeGreaterThan(0.3);
    }
  }, 60_000);
});
