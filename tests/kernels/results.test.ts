import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InProcessGuest } from '@remotemedia/edge-server/testing';
import { convertPixelFormat, decodeWav } from '@remotemedia/shared';
import * as k from '@remotemedia/shared/kernels';
import { openInProcessGuest } from '../support/inProcessGuest.ts';
import { build, channels, pixel, refBiquad, refBoxBlur, refConvolve, refDftMagnitude, refMorphology, refSobel } from './reference.ts';
import { cameraLikeFrame, grayOf, testSignal } from './testFrames.ts';

const rgba = cameraLikeFrame(37, 23, 5);
const other = cameraLikeFrame(37, 23, 9);
const gray = grayOf(rgba);
const i420 = { ...rgba, format: 'i420' as const, data: k.convert(rgba, 'i420') };
const signal = testSignal(1024);

/** Every kernel export with arguments, run locally and in the sandbox: the results must be identical. */
const CASES: [name: keyof typeof k, args: unknown[]][] = [
  ['grayscale', [rgba]],
  ['convert', [rgba, 'gray']],
  ['convert', [rgba, 'i420', { range: 'full' }]],
  ['convert', [i420, 'rgba']],
  ['applyLut', [gray.data, Uint8Array.from({ length: 256 }, (_, i) => 255 - i)]],
  ['adjust', [rgba, { brightness: 12, contrast: 1.3, gamma: 0.8 }]],
  ['threshold', [gray.data, 100]],
  ['blend', [rgba.data, other.data, 0.3]],
  ['blendColor', [rgba.data, [255, 0, 40], 0.5]],
  ['composite', [rgba.data, other.data]],
  ['difference', [rgba.data, other.data]],
  ['crop', [rgba, { x: 3, y: 4, width: 20, height: 11 }]],
  ['flip', [rgba, { horizontal: true, vertical: true }]],
  ['rotate', [rgba, 90]],
  ['rotate', [gray, 270]],
  ['resize', [rgba, 50, 17, 'nearest']],
  ['resize', [rgba, 50, 17, 'bilinear']],
  ['resize', [gray, 12, 7, 'area']],
  ['boxBlur3x3', [rgba]],
  ['convolve', [rgba, k.FILTERS.gaussian5]],
  ['convolve', [gray, k.FILTERS.sharpen3]],
  ['separableFilter', [rgba, [0.25, 0.5, 0.25], [0.25, 0.5, 0.25]]],
  ['sobel', [gray]],
  ['erode', [rgba]],
  ['dilate', [gray]],
  ['histogram', [rgba.data, 4]],
  ['meanVariance', [rgba, { x: 2, y: 3, width: 10, height: 9 }]],
  ['drawRect', [{ ...rgba, data: rgba.data.slice() }, { x: 1, y: 2, width: 30, height: 15 }, [255, 0, 0, 255], 2]],
  ['gain', [signal, 0.5]],
  ['mix', [signal, signal.slice().reverse(), 0.7, 0.3]],
  ['biquad', [signal, k.biquadCoefficients({ type: 'lowpass', frequency: 1000, sampleRate: 48_000 }), new Float64Array(2)]],
  ['fftMagnitude', [signal]],
  ['rmsPeak', [signal]],
];

const RUNNER = `import * as kernels from '@remotemedia/shared/kernels';
export class Runner {
  onHost() { return kernels.kernelsRunOnHost(); }
  run(name, args) { return kernels[name](...args); }
}`;

/** The runner in the edge's sandbox, in this thread: every kernel by name, as sandboxed code calls it. */
const openRunner = (): Promise<InProcessGuest> =>
  openInProcessGuest({ sources: { 'runner.js': RUNNER }, entry: 'runner.js', exportName: 'Runner', limits: { memoryBytes: 64 * 1024 * 1024 } });

describe('kernels: the same results locally (plain JS) and from the sandbox (host functions over guest memory)', () => {
  let guest: InProcessGuest;
  beforeAll(async () => {
    guest = await openRunner();
  });
  afterAll(() => guest?.dispose());

  it('runs on the host inside the sandbox, and as plain JS here', () => {
    expect(guest.call('onHost', [])).toBe(true);
    expect(k.kernelsRunOnHost()).toBe(false);
  });

  it.each(CASES.map(([name, args], i) => [`${i}: ${name}`, name, args] as const))('%s', (_, name, args) => {
    const local = (k[name] as (...a: unknown[]) => unknown)(...structuredClone(args));
    expect(guest.call('run', [name, args])).toEqual(local);
  });
});

describe('kernels against straightforward definitions, on camera-like frames', () => {
  const ch = channels(rgba);
  it('grayscale: BT.601 integer luma in R, G, B; alpha kept; works in place', () => {
    const expected = build(rgba.width, rgba.height, 4, (x, y, c) =>
      c === 3 ? pixel(rgba, x, y, 3) : (pixel(rgba, x, y, 0) * 77 + pixel(rgba, x, y, 1) * 150 + pixel(rgba, x, y, 2) * 29) >> 8,
    );
    expect(k.grayscale(rgba)).toEqual(expected);
    const copy = rgba.data.slice();
    k.grayscale({ ...rgba, data: copy }, copy);
    expect(copy).toEqual(expected);
  });

  it('convert: the VideoFormatConverter node’s conversions, every pair', () => {
    for (const from of [rgba, gray, i420]) {
      for (const to of ['rgba', 'i420', 'gray'] as const) {
        expect(k.convert(from, to, { range: 'full' }), `${from.format} -> ${to}`).toEqual(convertPixelFormat(from, to, 'full').data);
      }
    }
  });

  it('applyLut / adjust / threshold', () => {
    const table = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 255);
    expect(k.applyLut(rgba.data, table, 4)).toEqual(rgba.data.map((v, i) => table[(i % 4) * 256 + v]!));
    const adjusted = k.adjust(rgba, { brightness: 10, contrast: 1.5 });
    expect(adjusted).toEqual(rgba.data.map((v, i) => (i % 4 === 3 ? v : Math.min(255, Math.max(0, Math.round((v - 128) * 1.5 + 138))))));
    expect(k.adjust(gray, { gamma: 2 })).toEqual(gray.data.map((v) => Math.round(255 * Math.sqrt(v / 255))));
    expect(k.threshold(gray.data, 90, { below: 10, above: 200 })).toEqual(gray.data.map((v) => (v > 90 ? 200 : 10)));
  });

  it('blend / blendColor / composite / difference', () => {
    const w = Math.round(0.3 * 256);
    expect(k.blend(rgba.data, other.data, 0.3)).toEqual(rgba.data.map((a, i) => (a * (256 - w) + other.data[i]! * w + 128) >> 8));
    expect(k.blendColor(rgba.data, [255, 0, 40], 0.5)).toEqual(
      rgba.data.map((v, i) => (i % 4 === 3 ? v : (v * 128 + [255, 0, 40][i % 4]! * 128 + 128) >> 8)),
    );
    const composited = k.composite(rgba.data, other.data);
    for (let i = 0; i < rgba.data.length; i++) {
      const a = rgba.data[i - (i % 4) + 3]!;
      const expected =
        i % 4 === 3 ? a + Math.round((other.data[i]! * (255 - a)) / 255) : Math.round((rgba.data[i]! * a + other.data[i]! * (255 - a)) / 255);
      expect(composited[i], `byte ${i}`).toBe(expected);
    }
    expect(k.difference(rgba.data, other.data)).toEqual(rgba.data.map((a, i) => Math.abs(a - other.data[i]!)));
  });

  it('crop / flip / rotate', () => {
    expect(k.crop(rgba, { x: 3, y: 4, width: 20, height: 11 })).toEqual(build(20, 11, ch, (x, y, c) => pixel(rgba, x + 3, y + 4, c)));
    expect(k.flip(rgba, { horizontal: true })).toEqual(build(rgba.width, rgba.height, ch, (x, y, c) => pixel(rgba, rgba.width - 1 - x, y, c)));
    expect(k.flip(gray, { vertical: true })).toEqual(build(gray.width, gray.height, 1, (x, y) => pixel(gray, x, gray.height - 1 - y, 0)));
    const { width: w, height: h } = rgba;
    expect(k.rotate(rgba, 90)).toEqual(build(h, w, ch, (x, y, c) => pixel(rgba, y, h - 1 - x, c)));
    expect(k.rotate(rgba, 180)).toEqual(build(w, h, ch, (x, y, c) => pixel(rgba, w - 1 - x, h - 1 - y, c)));
    expect(k.rotate(rgba, 270)).toEqual(build(h, w, ch, (x, y, c) => pixel(rgba, w - 1 - y, x, c)));
  });

  it('resize: nearest picks the covering pixel, area averages blocks, bilinear keeps flat areas and the identity', () => {
    expect(k.resize(rgba, 74, 46, 'nearest')).toEqual(build(74, 46, ch, (x, y, c) => pixel(rgba, x >> 1, y >> 1, c)));
    const even = cameraLikeFrame(36, 22, 3);
    const mean4 = (x: number, y: number, c: number) =>
      Math.round(
        (pixel(even, 2 * x, 2 * y, c) + pixel(even, 2 * x + 1, 2 * y, c) + pixel(even, 2 * x, 2 * y + 1, c) + pixel(even, 2 * x + 1, 2 * y + 1, c)) /
          4,
      );
    expect(k.resize(even, 18, 11, 'area')).toEqual(build(18, 11, 4, mean4));
    expect(k.resize(rgba, rgba.width, rgba.height, 'bilinear')).toEqual(rgba.data);
    const flat = { width: 9, height: 5, data: new Uint8Array(45).fill(77) };
    expect(k.resize(flat, 31, 13, 'bilinear')).toEqual(new Uint8Array(31 * 13).fill(77));
    // Upscaling 2x: pixel centres fall a quarter of the way between source pixels.
    const up = k.resize(gray, gray.width * 2, gray.height * 2, 'bilinear');
    const expected = Math.round(
      0.75 * (0.75 * pixel(gray, 1, 1, 0) + 0.25 * pixel(gray, 2, 1, 0)) + 0.25 * (0.75 * pixel(gray, 1, 2, 0) + 0.25 * pixel(gray, 2, 2, 0)),
    );
    expect(up[3 * gray.width * 2 + 3]).toBe(expected);
  });

  it('filters: box blur, convolution (3x3, 5x5), separable, Sobel, erode, dilate', () => {
    expect(k.boxBlur3x3(rgba)).toEqual(refBoxBlur(rgba));
    expect(k.boxBlur3x3(gray)).toEqual(refBoxBlur(gray));
    expect(k.boxBlur3x3({ width: 1, height: 3, data: Uint8Array.of(9, 0, 90) })).toEqual(
      refBoxBlur({ width: 1, height: 3, data: Uint8Array.of(9, 0, 90) }),
    );
    for (const weights of [k.FILTERS.gaussian3, k.FILTERS.sharpen3, k.FILTERS.gaussian5, k.FILTERS.box5]) {
      expect(k.convolve(rgba, weights)).toEqual(refConvolve(rgba, weights));
    }
    const separable = k.separableFilter(rgba, [0.25, 0.5, 0.25], [0.25, 0.5, 0.25]);
    const full = refConvolve(rgba, k.FILTERS.gaussian3);
    expect(separable.every((v, i) => Math.abs(v - full[i]!) <= 1)).toBe(true);
    expect(k.sobel(gray)).toEqual(refSobel(gray));
    expect(k.erode(rgba)).toEqual(refMorphology(rgba, false));
    expect(k.dilate(gray)).toEqual(refMorphology(gray, true));
  });

  it('histogram / meanVariance / drawRect', () => {
    const counts = k.histogram(rgba.data, 4);
    for (const c of [0, 3]) {
      for (const v of [0, 128, 255]) expect(counts[c * 256 + v]).toBe(rgba.data.filter((b, i) => i % 4 === c && b === v).length);
    }
    expect(counts.reduce((s, n) => s + n, 0)).toBe(rgba.data.length);
    const rect = { x: 2, y: 3, width: 10, height: 9 };
    const { mean, variance } = k.meanVariance(rgba, rect);
    for (let c = 0; c < 4; c++) {
      const values = build(rect.width, rect.height, 1, (x, y) => pixel(rgba, rect.x + x, rect.y + y, c));
      const m = values.reduce((s, v) => s + v, 0) / values.length;
      expect(mean[c]).toBeCloseTo(m, 9);
      expect(variance[c]).toBeCloseTo(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length, 6);
    }
    const canvas = { ...gray, data: gray.data.slice() };
    k.drawRect(canvas, { x: 1, y: 2, width: 30, height: 15 }, [255], 2);
    const inside = (x: number, y: number) => x >= 1 && x < 31 && y >= 2 && y < 17;
    const ring = (x: number, y: number) => inside(x, y) && !(x >= 3 && x < 29 && y >= 4 && y < 15);
    expect(canvas.data).toEqual(build(gray.width, gray.height, 1, (x, y) => (ring(x, y) ? 255 : pixel(gray, x, y, 0))));
  });

  it('audio: gain, mix, biquads (each type), FFT magnitude, RMS and peak', () => {
    expect(k.gain(signal, 0.5)).toEqual(signal.map((v) => v * 0.5));
    const rev = signal.slice().reverse();
    expect(k.mix(signal, rev, 0.7, 0.3)).toEqual(signal.map((v, i) => v * 0.7 + rev[i]! * 0.3));
    for (const type of ['lowpass', 'highpass', 'bandpass', 'notch', 'lowshelf', 'highshelf'] as const) {
      const coefficients = k.biquadCoefficients({ type, frequency: 2000, sampleRate: 48_000, q: 0.9, gainDb: 6 });
      const state = new Float64Array(2);
      // Two blocks with the state carried over equal one block.
      const first = k.biquad(signal.subarray(0, 500), coefficients, state);
      const second = k.biquad(signal.subarray(500), coefficients, state);
      const whole = refBiquad(signal, coefficients);
      const got = [...first, ...second];
      expect(
        got.every((v, i) => Math.abs(v - whole[i]!) < 1e-5),
        type,
      ).toBe(true);
    }
    // A low-pass at 1 kHz passes 440 Hz and cuts 3 kHz.
    const lp = k.biquad(signal, k.biquadCoefficients({ type: 'lowpass', frequency: 1000, sampleRate: 48_000 }), new Float64Array(2));
    const spectrumIn = k.fftMagnitude(signal);
    const spectrumOut = k.fftMagnitude(lp);
    const bin = (hz: number) => Math.round((hz * 1024) / 48_000);
    expect(spectrumOut[bin(440)]! / spectrumIn[bin(440)]!).toBeGreaterThan(0.8);
    expect(spectrumOut[bin(3000)]! / spectrumIn[bin(3000)]!).toBeLessThan(0.2);
    const dft = refDftMagnitude(signal.subarray(0, 256));
    const fft = k.fftMagnitude(signal.subarray(0, 256));
    expect(fft.length).toBe(129);
    expect([...fft].every((v, i) => Math.abs(v - dft[i]!) < 1e-3)).toBe(true);
    const { rms, peak } = k.rmsPeak(signal);
    expect(rms).toBeCloseTo(Math.sqrt(signal.reduce((s, v) => s + v * v, 0) / signal.length), 9);
    expect(peak).toBe(Math.max(...signal.map(Math.abs)));
  });
});

describe('audio kernels on real speech (espeak-ng), locally and from the sandbox', () => {
  // A file, not --stdout: espeak-ng streams stdout with placeholder chunk sizes.
  const dir = mkdtempSync(join(tmpdir(), 'kernels-speech-'));
  execFileSync('espeak-ng', ['-w', join(dir, 'speech.wav'), 'Host kernels filter this sentence at native speed.']);
  const speech = decodeWav(new Uint8Array(readFileSync(join(dir, 'speech.wav'))));
  rmSync(dir, { recursive: true });
  const samples = speech.samples.subarray(0, 8192);
  const design = { frequency: 300, sampleRate: speech.sampleRate };
  let guest: InProcessGuest;
  beforeAll(async () => {
    guest = await openRunner();
  });
  afterAll(() => guest?.dispose());

  it('gives the same bytes both ways; low- and high-pass split the speech between them', () => {
    const lowpass = k.biquadCoefficients({ type: 'lowpass', ...design });
    const highpass = k.biquadCoefficients({ type: 'highpass', ...design });
    const cases: [keyof typeof k, unknown[]][] = [
      ['biquad', [samples, lowpass, new Float64Array(2)]],
      ['biquad', [samples, highpass, new Float64Array(2)]],
      ['fftMagnitude', [samples]],
      ['rmsPeak', [samples]],
      ['gain', [samples, 0.25]],
      ['mix', [samples, k.gain(samples, -1), 1, 1]],
    ];
    for (const [name, args] of cases) {
      expect(guest.call('run', [name, args]), name).toEqual((k[name] as (...a: unknown[]) => unknown)(...structuredClone(args)));
    }
    const level = (x: Float32Array) => k.rmsPeak(x).rms;
    const low = level(k.biquad(samples, lowpass, new Float64Array(2)));
    const high = level(k.biquad(samples, highpass, new Float64Array(2)));
    expect(level(samples)).toBeGreaterThan(0.01);
    expect(low + high).toBeGreaterThan(0.5 * level(samples));
    expect(k.rmsPeak(k.mix(samples, k.gain(samples, -1))).peak).toBe(0);
  });
});
