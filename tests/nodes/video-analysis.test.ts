import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVideoFrame, type PixelFormat, type VideoFrameData } from '@remotemedia/shared/frames';
import { ErrorCode } from '@remotemedia/shared/errors';
import { Pipeline } from '@remotemedia/shared/pipeline';
import {
  GLYPH_HEIGHT,
  GLYPH_WIDTH,
  GLYPHS,
  convertPixelFormat,
  createNode,
  formatTimestamp,
  lumaOf,
  type BlackCheckedFrame,
  type FreezeCheckedFrame,
  type MotionCheckedFrame,
} from '@remotemedia/shared/nodes';

const W = 160;
const H = 120;

/**
 * A camera-like scene: a textured background (gradient plus fixed sensor noise) and a bright 24x24 square whose
 * top-left corner is at (x, y). `noiseSeed` changes the sensor noise from frame to frame, as a real sensor does.
 */
function scene(x: number, y: number, timestamp: number, noiseSeed = 0, noiseAmplitude = 0): VideoFrameData {
  const frame = createVideoFrame({ width: W, height: H, format: 'rgba', timestamp });
  let state = noiseSeed * 7919 + 1;
  for (let py = 0; py < H; py++) {
    for (let px = 0; px < W; px++) {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      const jitter = noiseAmplitude > 0 ? Math.round(((state >>> 16) / 65_535 - 0.5) * 2 * noiseAmplitude) : 0;
      const inside = px >= x && px < x + 24 && py >= y && py < y + 24;
      const base = inside ? 230 : 40 + ((px + py) % 60);
      const v = Math.max(0, Math.min(255, base + jitter));
      frame.data.set([v, inside ? v : v * 0.8, inside ? 40 : v * 0.6, 255], (py * W + px) * 4);
    }
  }
  return frame;
}

function as(frame: VideoFrameData, format: PixelFormat): VideoFrameData {
  return format === 'rgba' ? frame : convertPixelFormat(frame, format, 'limited');
}

async function run<T>(name: string, config: unknown, input: unknown[]): Promise<T[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([createNode(name, config)]).stream(input)) out.push(item);
  return out as T[];
}

describe('MotionDetector', () => {
  it.each(['rgba', 'i420', 'gray'] as const)('finds the moving square, and nothing in a still noisy scene (%s)', async (format) => {
    const still = [0, 1, 2].map((n) => as(scene(20, 20, n * 40, n, 4), format));
    const moving = [3, 4].map((n) => as(scene(20 + (n - 2) * 30, 50, n * 40, n, 4), format));
    const out = await run<MotionCheckedFrame>('MotionDetector', {}, [...still, ...moving]);
    expect(out.slice(0, 3).map((f) => f.motion.detected)).toEqual([false, false, false]);
    const last = out[4]!.motion;
    expect(last.detected).toBe(true);
    // The square moved from x=50 to x=80 at y=50: the change covers both places, within one 16-pixel cell.
    const union = last.regions.reduce(
      (box, r) => ({
        x0: Math.min(box.x0, r.x),
        y0: Math.min(box.y0, r.y),
        x1: Math.max(box.x1, r.x + r.width),
        y1: Math.max(box.y1, r.y + r.height),
      }),
      { x0: W, y0: H, x1: 0, y1: 0 },
    );
    expect(union.x0).toBeGreaterThanOrEqual(50 - 16);
    expect(union.x0).toBeLessThanOrEqual(50);
    expect(union.x1).toBeGreaterThanOrEqual(80 + 24);
    expect(union.x1).toBeLessThanOrEqual(80 + 24 + 16);
    expect(union.y0).toBeGreaterThanOrEqual(50 - 16);
    expect(union.y1).toBeLessThanOrEqual(50 + 24 + 16);
    expect(last.score).toBeGreaterThan(0.02);
    expect(last.score).toBeLessThan(0.15);
    // The frame itself is untouched.
    expect(out[4]!.data).toEqual(moving[1]!.data);
  });
});

describe('FreezeDetector', () => {
  it('reports a frozen picture after minFrozenMs of identical frames, and recovers when it moves', async () => {
    const live = [0, 1, 2, 3].map((n) => scene(10 + n * 8, 30, n * 40, n, 3));
    const stuck = Array.from({ length: 8 }, (_, k) => ({ ...live[3]!, timestamp: (4 + k) * 40 }));
    const again = [scene(90, 30, 12 * 40, 12, 3)];
    const out = await run<FreezeCheckedFrame>('FreezeDetector', { minFrozenMs: 200 }, [...live, ...stuck, ...again]);
    const frozen = out.map((f) => f.freeze.frozen);
    expect(frozen.slice(0, 4).some(Boolean)).toBe(false);
    // Still since frame 3 (t=120): frozen from t >= 320, i.e. frame 8 on.
    expect(frozen.slice(4, 8)).toEqual([false, false, false, false]);
    expect(frozen.slice(8, 12)).toEqual([true, true, true, true]);
    expect(out[11]!.freeze.frozenForMs).toBe(11 * 40 - 3 * 40);
    expect(frozen[12]).toBe(false);
  });

  it('does not call sensor noise on a still scene motion: a noisy still camera is frozen only below the threshold', async () => {
    const noisy = Array.from({ length: 6 }, (_, n) => scene(40, 40, n * 40, n, 2));
    const out = await run<FreezeCheckedFrame>('FreezeDetector', { maxMeanDifference: 3, minFrozenMs: 100 }, noisy);
    expect(out.at(-1)!.freeze.frozen).toBe(true);
    const strict = await run<FreezeCheckedFrame>('FreezeDetector', { maxMeanDifference: 0.1, minFrozenMs: 100 }, noisy);
    expect(strict.some((f) => f.freeze.frozen)).toBe(false);
  });
});

describe('BlackFrameDetector', () => {
  it.each(['rgba', 'i420'] as const)('flags covered-lens frames (dark, with sensor noise) lasting minDurationMs (%s)', async (format) => {
    const dark = (n: number) => {
      const frame = createVideoFrame({ width: W, height: H, format: 'rgba', timestamp: n * 40 });
      for (let i = 0; i < frame.data.length; i += 4) frame.data.set([(i * 7) % 9, (i * 3) % 7, (i * 5) % 8, 255], i);
      return as(frame, format);
    };
    const frames = [as(scene(20, 20, 0), format), dark(1), dark(2), dark(3), dark(4), dark(5), as(scene(20, 20, 240), format)];
    const out = await run<BlackCheckedFrame>('BlackFrameDetector', { minDurationMs: 80 }, frames);
    expect(out.map((f) => f.blackFrame.black)).toEqual([false, false, false, true, true, true, false]);
    expect(out[1]!.blackFrame.darkShare).toBeGreaterThan(0.99);
    expect(out[0]!.blackFrame.meanLuma).toBeGreaterThan(40);
  });
});

describe('TimestampOverlay', () => {
  /** Reads the burnt-in text back: each glyph cell of the box compared with the font's bitmaps. */
  function readBack(frame: VideoFrameData, left: number, top: number, scale: number, length: number): string {
    const luma = lumaOf(frame);
    let text = '';
    for (let c = 0; c < length; c++) {
      const ink = (gx: number, gy: number) => {
        const x = left + ((c * (GLYPH_WIDTH + 1) + 1 + gx) * scale + (scale >> 1));
        const y = top + ((gy + 1) * scale + (scale >> 1));
        return luma[y * frame.width + x]! > 128;
      };
      const match = Object.entries(GLYPHS).find(([, rows]) => rows.every((row, gy) => [...row].every((cell, gx) => (cell === '#') === ink(gx, gy))));
      text += match?.[0] ?? '?';
    }
    return text;
  }

  it.each(['rgba', 'i420', 'gray'] as const)('burns HH:MM:SS.mmm into the corner, readable back glyph by glyph (%s)', async (format) => {
    const frame = as(scene(100, 60, 3_723_456), format);
    const [out] = await run<VideoFrameData>('TimestampOverlay', { position: 'top-left', scale: 2, margin: 4 }, [frame]);
    expect(readBack(out!, 4, 4, 2, 12)).toBe('01:02:03.456');
    // Pixels outside the box are untouched.
    const box = { right: 4 + (12 * (GLYPH_WIDTH + 1) + 1) * 2, bottom: 4 + (GLYPH_HEIGHT + 2) * 2 };
    const before = lumaOf(frame);
    const after = lumaOf(out!);
    for (let y = box.bottom + 2; y < H; y += 5) for (let x = 0; x < W; x += 5) expect(after[y * W + x]).toBe(before[y * W + x]);
    expect(out!.format).toBe(format);
  });

  it('places the box in the bottom-right corner and formats milliseconds', async () => {
    const [out] = await run<VideoFrameData>('TimestampOverlay', { position: 'bottom-right', scale: 1, style: 'milliseconds', margin: 0 }, [
      scene(0, 0, 987),
    ]);
    const width = (3 * (GLYPH_WIDTH + 1) + 1) * 1;
    expect(readBack(out!, W - width, H - (GLYPH_HEIGHT + 2), 1, 3)).toBe('987');
    expect(formatTimestamp(-61_000, 'clock')).toBe('-00:01:01.000');
  });
});

describe('LatencyTap and JitterMeter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a start/end pair around a node measures its time per item, with p50 and p99', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const delays = [5, 10, 15, 20, 100];
    let n = 0;
    const slow = {
      name: 'Slow',
      process: (item: object) => {
        vi.advanceTimersByTime(delays[n++]!);
        return item;
      },
    };
    const pipeline = new Pipeline([
      createNode('LatencyTap', { label: 'slow', role: 'start' }),
      slow,
      createNode('LatencyTap', { label: 'slow', role: 'end' }),
    ]);
    const out: Array<{ latency: { ms: number; p50Ms: number; p99Ms: number; count: number }; latencyMarks: object }> = [];
    for (const delay of delays) out.push(...((await pipeline.process({ kind: 'data', timestamp: delay })) as typeof out));
    expect(out.map((item) => item.latency.ms)).toEqual(delays);
    expect(out.at(-1)!.latency).toMatchObject({ p50Ms: 15, p99Ms: 100, count: 5 });
    expect(out.at(-1)!.latencyMarks).toEqual({});
  });

  it('an end tap without its start mark is an INVALID_INPUT that says how to fix it', async () => {
    await expect(run('LatencyTap', { label: 'x', role: 'end' }, [{ kind: 'data' }])).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining('put a LatencyTap { role: "start", label: "x" } before it'),
    });
  });

  it('JitterMeter: steady arrivals have no jitter; a late frame shows; a fast sender clock shows as drift; gaps show', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const node = createNode('JitterMeter', { window: 50 });
    const feed = (timestamp: number, arriveAfterMs: number) => {
      vi.advanceTimersByTime(arriveAfterMs);
      return node.process!({ kind: 'video', timestamp }) as { jitter: { jitterMs: number; driftPpm: number; gapMs: number } };
    };
    let last = feed(0, 0);
    for (let i = 1; i <= 20; i++) last = feed(i * 40, 40);
    expect(last.jitter.jitterMs).toBeCloseTo(0, 6);
    expect(Math.abs(last.jitter.driftPpm)).toBeLessThan(1);
    expect(feed(21 * 40, 55).jitter.jitterMs).toBeCloseTo(15 / 16, 6);
    expect(feed(23 * 40, 80).jitter.gapMs).toBe(80);
    // A sender whose clock runs 1% fast: timestamps advance 40.4 ms per 40 ms of arrival.
    const skewed = createNode('JitterMeter', { window: 50 });
    let result: { jitter: { driftPpm: number } } | undefined;
    for (let i = 0; i < 40; i++) {
      vi.advanceTimersByTime(40);
      result = skewed.process!({ kind: 'video', timestamp: i * 40.4 }) as typeof result;
    }
    expect(result!.jitter.driftPpm).toBeCloseTo(-9901, -1);
  });
});

describe('BrightnessContrast', () => {
  it('applies brightness, contrast and gamma to RGB levels and keeps alpha', async () => {
    const frame = createVideoFrame({
      width: 4,
      height: 1,
      format: 'rgba',
      data: new Uint8Array([0, 64, 128, 200, 255, 10, 20, 99, 64, 64, 64, 255, 200, 100, 50, 7]),
    });
    const [bright] = await run<VideoFrameData>('BrightnessContrast', { brightness: 20 }, [frame]);
    expect([...bright!.data]).toEqual([20, 84, 148, 200, 255, 30, 40, 99, 84, 84, 84, 255, 220, 120, 70, 7]);
    const [flat] = await run<VideoFrameData>('BrightnessContrast', { contrast: 0 }, [frame]);
    for (let i = 0; i < 16; i += 4) expect([flat!.data[i], flat!.data[i + 1], flat!.data[i + 2]]).toEqual([128, 128, 128]);
    const [gamma] = await run<VideoFrameData>('BrightnessContrast', { gamma: 2 }, [frame]);
    expect(gamma!.data[1]).toBe(Math.round(255 * (64 / 255) ** 0.5));
  });

  it('on I420 adjusts the luma the way RGBA is adjusted, and keeps the chroma', async () => {
    const rgba = scene(40, 40, 0);
    const i420 = as(rgba, 'i420');
    const [out] = await run<VideoFrameData>('BrightnessContrast', { brightness: 30, contrast: 1.3 }, [i420]);
    expect(out!.data.subarray(W * H)).toEqual(i420.data.subarray(W * H));
    const [reference] = await run<VideoFrameData>('BrightnessContrast', { brightness: 30, contrast: 1.3 }, [
      createVideoFrame({ ...i420, format: 'gray', data: lumaOf(i420).slice() }),
    ]);
    const shown = lumaOf(out!);
    for (let i = 0; i < W * H; i += 37) expect(Math.abs(shown[i]! - reference!.data[i]!)).toBeLessThanOrEqual(1);
  });
});

describe('Blur, Sharpen and EdgeDetector', () => {
  /** Sum of absolute differences between horizontal neighbours: how much sharp detail a picture has. */
  function detail(frame: VideoFrameData): number {
    const luma = lumaOf(frame);
    let sum = 0;
    for (let y = 0; y < frame.height; y++)
      for (let x = 1; x < frame.width; x++) sum += Math.abs(luma[y * frame.width + x]! - luma[y * frame.width + x - 1]!);
    return sum;
  }

  it("a 3x3 box blur is the mean of each pixel's neighbourhood", async () => {
    const frame = as(scene(50, 50, 0, 1, 20), 'gray');
    const [out] = await run<VideoFrameData>('Blur', { kind: 'box', radius: 1 }, [frame]);
    for (const [x, y] of [
      [10, 10],
      [50, 50],
      [73, 61],
      [120, 100],
    ] as const) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += frame.data[(y + dy) * W + x + dx]!;
      expect(Math.abs(out!.data[y * W + x]! - sum / 9)).toBeLessThanOrEqual(1);
    }
    expect(detail(out!)).toBeLessThan(detail(frame) * 0.6);
  });

  it.each(['rgba', 'i420'] as const)('Gaussian blur removes detail, keeps overall brightness and alpha (%s)', async (format) => {
    const frame = as(scene(50, 50, 0, 2, 30), format);
    const [out] = await run<VideoFrameData>('Blur', { radius: 2 }, [frame]);
    expect(detail(out!)).toBeLessThan(detail(frame) * 0.4);
    const mean = (f: VideoFrameData) => lumaOf(f).reduce((a, b) => a + b, 0) / (W * H);
    expect(Math.abs(mean(out!) - mean(frame))).toBeLessThan(1);
    if (format === 'rgba') for (let i = 3; i < out!.data.length; i += 400) expect(out!.data[i]).toBe(255);
  });

  it('Sharpen adds edge contrast, leaves flat areas, and undoes part of a blur', async () => {
    const frame = as(scene(50, 50, 0), 'gray');
    const [sharp] = await run<VideoFrameData>('Sharpen', { amount: 1, radius: 1 }, [frame]);
    expect(detail(sharp!)).toBeGreaterThan(detail(frame) * 1.2);
    // Inside the flat square nothing changes.
    expect(sharp!.data[62 * W + 62]).toBe(frame.data[62 * W + 62]);
    const [blurred] = await run<VideoFrameData>('Blur', { radius: 1 }, [frame]);
    const [restored] = await run<VideoFrameData>('Sharpen', { amount: 1.5, radius: 1 }, [blurred]);
    const error = (f: VideoFrameData) => f.data.reduce((sum, v, i) => sum + Math.abs(v - frame.data[i]!), 0);
    expect(error(restored!)).toBeLessThan(error(blurred!));
  });

  it.each(['rgba', 'i420', 'gray'] as const)('EdgeDetector outlines the square and nothing in flat areas (%s)', async (format) => {
    const square = createVideoFrame({ width: W, height: H, format: 'rgba' });
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      const y = Math.floor(i / W);
      const v = x >= 60 && x < 100 && y >= 40 && y < 80 ? 220 : 30;
      square.data.set([v, v, v, 255], 4 * i);
    }
    const [out] = await run<VideoFrameData>('EdgeDetector', { threshold: 60 }, [as(square, format)]);
    const edges = lumaOf(out!);
    const white = (x: number, y: number) => edges[y * W + x]! > 200;
    expect([white(60, 60), white(99, 60), white(80, 40), white(80, 79)]).toEqual([true, true, true, true]);
    expect([white(80, 60), white(20, 20), white(140, 100)]).toEqual([false, false, false]);
    let count = 0;
    for (let i = 0; i < W * H; i++) if (edges[i]! > 200) count++;
    // The outline: about two pixels wide along a 40x40 perimeter.
    expect(count).toBeGreaterThan(150);
    expect(count).toBeLessThan(400);
  });
});
