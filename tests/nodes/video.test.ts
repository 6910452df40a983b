import { describe, expect, it } from 'vitest';
import { createVideoFrame, type PixelFormat, type VideoFrameData } from '@remotemedia/shared/frames';
import { ErrorCode } from '@remotemedia/shared/errors';
import { Pipeline } from '@remotemedia/shared/pipeline';
import { convertPixelFormat, createNode } from '@remotemedia/shared/nodes';

/** An rgba frame whose pixel (x, y) is `pixel(x, y)`. */
function rgbaFrame(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number], timestamp = 0): VideoFrameData {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return createVideoFrame({ width, height, format: 'rgba', data, timestamp });
}

function grayFrame(width: number, height: number, value: (x: number, y: number) => number): VideoFrameData {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return createVideoFrame({ width, height, format: 'gray', data });
}

async function apply(nodeName: string, config: unknown, frame: unknown): Promise<VideoFrameData> {
  const [out] = await new Pipeline([createNode(nodeName, config)]).process(frame);
  return out as VideoFrameData;
}

async function streamAll(nodeName: string, config: unknown, frames: unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([createNode(nodeName, config)]).stream(frames)) out.push(item);
  return out;
}

const colourful = rgbaFrame(4, 3, (x, y) => [x * 60, y * 100, 255 - x * 50, 200]);

describe('Grayscale', () => {
  it('sets R = G = B to the Rec.601 luma of rgba pixels and keeps alpha', async () => {
    const out = await apply('Grayscale', {}, colourful);
    expect(out.format).toBe('rgba');
    for (let i = 0; i < out.data.length; i += 4) {
      const [r, g, b, a] = colourful.data.subarray(i, i + 4);
      const y = Math.round(0.299 * r! + 0.587 * g! + 0.114 * b!);
      expect(Array.from(out.data.subarray(i, i + 4))).toEqual([y, y, y, a]);
    }
    const red = await apply(
      'Grayscale',
      {},
      rgbaFrame(1, 1, () => [255, 0, 0, 255]),
    );
    expect(red.data[0]).toBe(76);
  });

  it('sets i420 chroma to 128 and leaves luma and gray frames alone', async () => {
    const i420 = convertPixelFormat(colourful, 'i420', 'limited');
    const out = await apply('Grayscale', {}, i420);
    expect(out.data.subarray(0, 12)).toEqual(i420.data.subarray(0, 12));
    expect(Array.from(out.data.subarray(12))).toEqual(new Array(i420.data.length - 12).fill(128));
    const gray = grayFrame(2, 2, (x) => x * 9);
    expect(await apply('Grayscale', {}, gray)).toBe(gray);
  });
});

describe('Resize', () => {
  it('scales a horizontal gradient bilinearly, keeping it linear and monotonic', async () => {
    const gradient = grayFrame(9, 2, (x) => x * 30); // 0..240
    const out = await apply('Resize', { width: 17, height: 4 }, gradient);
    expect([out.width, out.height]).toEqual([17, 4]);
    for (let y = 0; y < 4; y++) {
      const row = Array.from(out.data.subarray(y * 17, y * 17 + 17));
      // Centre-aligned sampling: x_src = (x + 0.5) * 9/17 - 0.5, clamped to the edges.
      row.forEach((value, x) => {
        const sx = Math.min(Math.max((x + 0.5) * (9 / 17) - 0.5, 0), 8);
        expect(Math.abs(value - sx * 30)).toBeLessThanOrEqual(0.5);
      });
      for (let x = 1; x < 17; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
    }
  });

  it('halves an rgba frame by averaging 2x2 blocks and resizes i420 plane by plane', async () => {
    const frame = rgbaFrame(4, 2, (x) => (x % 2 === 0 ? [0, 100, 200, 255] : [100, 200, 0, 255]));
    const out = await apply('Resize', { width: 2, height: 1 }, frame);
    expect(Array.from(out.data)).toEqual([50, 150, 100, 255, 50, 150, 100, 255]);
    const i420 = await apply('Resize', { width: 6, height: 5 }, convertPixelFormat(frame, 'i420', 'full'));
    expect(i420.data.length).toBe(6 * 5 + 2 * 3 * 3);
  });
});

describe('Flip', () => {
  const frame = rgbaFrame(3, 2, (x, y) => [x, y, 10 * x + y, 255]);
  const pixel = (f: VideoFrameData, x: number, y: number) => Array.from(f.data.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4));

  it('mirrors horizontally, vertically and both, exactly', async () => {
    const h = await apply('Flip', { direction: 'horizontal' }, frame);
    const v = await apply('Flip', { direction: 'vertical' }, frame);
    const both = await apply('Flip', { direction: 'both' }, frame);
    for (let y = 0; y < 2; y++) {
      for (let x = 0; x < 3; x++) {
        expect(pixel(h, x, y)).toEqual(pixel(frame, 2 - x, y));
        expect(pixel(v, x, y)).toEqual(pixel(frame, x, 1 - y));
        expect(pixel(both, x, y)).toEqual(pixel(frame, 2 - x, 1 - y));
      }
    }
  });

  it('flips every plane of an i420 frame', async () => {
    const i420 = createVideoFrame({ width: 4, height: 2, format: 'i420', data: Uint8Array.from({ length: 12 }, (_, i) => i) });
    const out = await apply('Flip', { direction: 'horizontal' }, i420);
    expect(Array.from(out.data)).toEqual([3, 2, 1, 0, 7, 6, 5, 4, 9, 8, 11, 10]);
  });
});

describe('Crop', () => {
  it('cuts out exactly the requested rectangle', async () => {
    const gray = grayFrame(5, 4, (x, y) => y * 10 + x);
    const out = await apply('Crop', { x: 1, y: 2, width: 3, height: 2 }, gray);
    expect([out.width, out.height]).toEqual([3, 2]);
    expect(Array.from(out.data)).toEqual([21, 22, 23, 31, 32, 33]);
  });

  it('crops i420 chroma in step with luma', async () => {
    const rgba = rgbaFrame(4, 4, (x, y) => (x >= 2 && y >= 2 ? [255, 0, 0, 255] : [0, 0, 255, 255]));
    const i420 = convertPixelFormat(rgba, 'i420', 'full');
    const out = await apply('Crop', { x: 2, y: 2, width: 2, height: 2 }, i420);
    const back = convertPixelFormat(out, 'rgba', 'full');
    const [r, g, b] = back.data;
    expect(Math.abs(r! - 255) + g! + b!).toBeLessThanOrEqual(3);
  });

  it('rejects a rectangle outside the frame with INVALID_INPUT', async () => {
    await expect(
      apply(
        'Crop',
        { x: 3, y: 0, width: 3, height: 1 },
        grayFrame(5, 4, () => 0),
      ),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      nodeName: 'Crop',
    });
  });
});

describe('VideoFormatConverter', () => {
  // A camera-like image: colour changes a few levels per pixel, not abruptly.
  const smooth = rgbaFrame(32, 24, (x, y) => [40 + 5 * x, 30 + 6 * y, 220 - 2 * (x + y), 255]);

  for (const range of ['limited', 'full'] as const) {
    it(`round-trips rgba -> i420 -> rgba (${range} range) within a small error`, async () => {
      const i420 = await apply('VideoFormatConverter', { format: 'i420', range }, smooth);
      expect(i420.data.length).toBe(32 * 24 * 1.5);
      const back = await apply('VideoFormatConverter', { format: 'rgba', range }, i420);
      let worst = 0;
      let total = 0;
      for (let i = 0; i < back.data.length; i++) {
        if (i % 4 === 3) continue;
        const error = Math.abs(back.data[i]! - smooth.data[i]!);
        worst = Math.max(worst, error);
        total += error;
      }
      // Chroma is shared by 2x2 blocks, so a colour gradient loses a little at block edges.
      expect(total / (back.data.length * 0.75)).toBeLessThan(2);
      expect(worst).toBeLessThanOrEqual(6);
    });
  }

  it('produces BT.601 limited-range values for known colours', () => {
    const white = convertPixelFormat(
      rgbaFrame(2, 2, () => [255, 255, 255, 255]),
      'i420',
      'limited',
    );
    const black = convertPixelFormat(
      rgbaFrame(2, 2, () => [0, 0, 0, 255]),
      'i420',
      'limited',
    );
    const red = convertPixelFormat(
      rgbaFrame(2, 2, () => [255, 0, 0, 255]),
      'i420',
      'limited',
    );
    expect(Array.from(white.data)).toEqual([235, 235, 235, 235, 128, 128]);
    expect(Array.from(black.data)).toEqual([16, 16, 16, 16, 128, 128]);
    expect(Array.from(red.data)).toEqual([81, 81, 81, 81, 90, 240]);
  });

  it('converts to and from gray', async () => {
    const gray = await apply('VideoFormatConverter', { format: 'gray' }, colourful);
    expect(gray.data[0]).toBe(Math.round(0.299 * 0 + 0.587 * 0 + 0.114 * 255));
    const i420 = await apply('VideoFormatConverter', { format: 'i420' }, gray);
    const back = await apply('VideoFormatConverter', { format: 'gray' }, i420);
    for (let i = 0; i < gray.data.length; i++) expect(Math.abs(back.data[i]! - gray.data[i]!)).toBeLessThanOrEqual(1);
    const rgba = await apply('VideoFormatConverter', { format: 'rgba' }, gray);
    expect(Array.from(rgba.data.subarray(0, 4))).toEqual([gray.data[0], gray.data[0], gray.data[0], 255]);
  });
});

describe('VideoBuffer', () => {
  const frames = Array.from({ length: 7 }, (_, i) => grayFrame(1, 1, () => i));
  const values = (batches: unknown[]) => (batches as VideoFrameData[][]).map((b) => b.map((f) => f.data[0]));

  it('emits batches of N frames and flushes the rest', async () => {
    expect(values(await streamAll('VideoBuffer', { size: 3, stride: 3 }, frames))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('emits overlapping windows when stride < size', async () => {
    expect(values(await streamAll('VideoBuffer', { size: 4, stride: 2 }, frames.slice(0, 6)))).toEqual([
      [0, 1, 2, 3],
      [2, 3, 4, 5],
    ]);
  });
});

describe('FrameRateLimiter', () => {
  const at = (fps: number, count: number) =>
    Array.from({ length: count }, (_, i) => grayFrame(1, 1, () => 0)).map((f, i) => ({ ...f, timestamp: (i * 1000) / fps }));

  it('keeps the right number of frames: 30 -> 10 fps and 30 -> 20 fps', async () => {
    const tenFps = (await streamAll('FrameRateLimiter', { fps: 10 }, at(30, 90))) as VideoFrameData[];
    expect(tenFps).toHaveLength(30);
    expect(tenFps.slice(0, 3).map((f) => Math.round(f.timestamp))).toEqual([0, 100, 200]);
    expect(await streamAll('FrameRateLimiter', { fps: 20 }, at(30, 90))).toHaveLength(60);
  });

  it('passes everything when the source is already slower', async () => {
    expect(await streamAll('FrameRateLimiter', { fps: 30 }, at(24, 48))).toHaveLength(48);
  });
});

describe('video nodes', () => {
  it('reject audio frames with INVALID_INPUT', async () => {
    for (const name of ['Grayscale', 'Flip', 'VideoFormatConverter']) {
      await expect(apply(name, {}, { kind: 'audio' })).rejects.toMatchObject({ code: ErrorCode.InvalidInput });
    }
  });

  it('reject frames whose data does not match their size', async () => {
    const broken = { kind: 'video', width: 4, height: 4, format: 'rgba' as PixelFormat, timestamp: 0, data: new Uint8Array(3) };
    await expect(apply('Grayscale', {}, broken)).rejects.toThrow(/needs 64 bytes, got 3/);
  });
});
