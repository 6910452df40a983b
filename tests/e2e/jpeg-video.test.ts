import { describe, expect, it } from 'vitest';
import { useEdgeAndBrowser } from '../support/browser.ts';
import { sdkPageScript } from '../support/sdkPageScript.ts';

const INVERT = `export class Invert {
  process(frame) {
    const d = frame.data;
    if (frame.format !== 'rgba') throw new TypeError('Invert wants rgba, got ' + frame.format);
    for (let i = 0; i < d.length; i += 4) { d[i] = 255 - d[i]; d[i + 1] = 255 - d[i + 1]; d[i + 2] = 255 - d[i + 2]; }
    return frame;
  }
}`;

interface Checked {
  format: string;
  frames: number;
  meanError: number;
  p99Error: number;
}

// The page does what the demo does (fake camera -> node on the edge -> canvas) at 640x480 over the data channel,
// where the SDK sends JPEG by default (compressed in its worker, decoded there on the way back), and compares
// what it drew, pixel by pixel, with the effect applied to the frame it sent.
describe('JPEG video between Chromium and the edge', () => {
  const fixture = useEdgeAndBrowser();

  it('draws camera frames inverted (sandboxed, rgba) and grayscaled (built-in, i420) within JPEG tolerance', async () => {
    const page = await fixture.browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => consoleLines.push(String(error)));
    await page.goto(`${fixture.edge.url}/`);
    await page.addScriptTag({ content: await sdkPageScript() });
    const result = await page.evaluate(
      async ({ source }) => {
        const R = (window as unknown as { RemoteMedia: typeof import('@remotemedia/browser-sdk') }).RemoteMedia;
        // The default encoding (JPEG q0.8 over the data channel); adaptation held so the quality checked is known.
        const session = await R.connect(location.origin, { transport: 'datachannel', reconnect: false, video: { adapt: false } });
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
        const track = stream.getVideoTracks()[0]!;
        const canvas = document.createElement('canvas');
        document.body.append(canvas);
        const invert = await session.deploy(await R.packSources({ sources: { 'invert.js': source }, entry: 'invert.js', exportName: 'Invert' }));
        const gray = await session.node('Grayscale');
        const local = R.createNode('Grayscale');
        const checked: Checked[] = [];
        const errors = (actual: ArrayLike<number>, expected: ArrayLike<number>, mask: (i: number) => boolean) => {
          const histogram = new Uint32Array(256);
          let sum = 0;
          let n = 0;
          for (let i = 0; i < expected.length; i++) {
            if (!mask(i)) continue;
            const d = Math.abs(actual[i]! - expected[i]!);
            histogram[d]!++;
            sum += d;
            n++;
          }
          let seen = 0;
          let p99 = 0;
          while (p99 < 255 && (seen += histogram[p99]!) < n * 0.99) p99++;
          return { mean: sum / n, p99 };
        };
        for (const format of ['rgba', 'i420'] as const) {
          let frames = 0;
          let meanError = 0;
          let p99Error = 0;
          for await (const frame of R.cameraFrames(track, { width: 640, height: 480, format, maxFrames: 8 })) {
            const sent = frame.data.slice();
            if (format === 'rgba') {
              const [out] = (await invert.process(frame)) as Iterable<import('@remotemedia/browser-sdk').VideoFrameData>;
              // What a person sees: the frame drawn on a canvas.
              R.drawVideoFrame(canvas, out!);
              const drawn = canvas.getContext('2d')!.getImageData(0, 0, 640, 480).data;
              const expected = sent.map((value, i) => (i % 4 === 3 ? value : 255 - value));
              const e = errors(drawn, expected, (i) => i % 4 !== 3);
              meanError = Math.max(meanError, e.mean);
              p99Error = Math.max(p99Error, e.p99);
            } else {
              const [out] = (await gray.process(frame)) as Iterable<import('@remotemedia/browser-sdk').VideoFrameData>;
              // JPEG carries RGB: i420 values outside the RGB gamut (Chromium's fake camera paints some) come back
              // as their in-gamut colour, so the effect is expected on the frame as RGB can hold it.
              const inGamut = R.convertPixelFormat(R.convertPixelFormat({ ...frame, data: sent }, 'rgba', 'limited'), 'i420', 'limited');
              const expected = (local.process!(inGamut) as import('@remotemedia/browser-sdk').VideoFrameData).data;
              if (out!.format !== 'i420' || out!.data.length !== expected.length) throw new Error(`got ${out!.format} ${out!.data.length} bytes`);
              const e = errors(out!.data, expected, () => true);
              meanError = Math.max(meanError, e.mean);
              p99Error = Math.max(p99Error, e.p99);
            }
            frames++;
          }
          checked.push({ format, frames, meanError, p99Error });
        }
        track.stop();
        const stats = session.stats();
        session.close();
        return { checked, transport: stats.transport, video: stats.video, framesFailed: stats.framesFailed, stages: stats.frameStages };
      },
      { source: INVERT },
    );
    expect(result.transport, consoleLines.join('\n')).toBe('datachannel');
    expect(result.video.codecUnavailable).toBeUndefined();
    expect(result.video.encoding).toEqual({ codec: 'jpeg', quality: 0.8 });
    expect(result.video.encoded).toBe(16);
    expect(result.video.decoded).toBe(16);
    expect(result.framesFailed).toBe(0);
    // Where the time went, per stage: the worker's encode and decode on this side; the edge's JPEG work is inside `node`.
    for (const stage of ['encode', 'network', 'edgeQueue', 'node', 'decode'] as const) {
      const timing = result.stages[stage];
      expect(timing?.samples, stage).toBe(16);
      for (const ms of [timing!.p50Ms, timing!.p99Ms]) {
        expect(Number.isFinite(ms), `${stage} ${ms}`).toBe(true);
        expect(ms, stage).toBeGreaterThanOrEqual(0);
      }
      expect(timing!.p99Ms, stage).toBeGreaterThanOrEqual(timing!.p50Ms);
    }
    for (const check of result.checked) {
      expect(check.frames).toBe(8);
      // Worst frame's mean and 99th percentile of |drawn - expected| per channel, after JPEG q0.8 both ways
      // (measured: rgba 0.5 and 13, i420 0.8 and 6).
      expect(check.meanError, JSON.stringify(check)).toBeLessThan(3);
      expect(check.p99Error, JSON.stringify(check)).toBeLessThan(24);
    }
    await page.close();
  }, 120_000);
});
