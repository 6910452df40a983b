import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWavFile, encodeWav } from '@remotemedia/shared/codec';
import { audioFrameLength } from '@remotemedia/shared/frames';
import { middle, rms, sine, zeroCrossingFrequency } from './audioAnalysis.ts';
import { runCli, tempDir } from './runCli.ts';

const MANIFEST = 'examples/manifests/gain-resample.json';

describe('remotemedia-edge run on a WAV file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const input = sine(440, 0.5, 48000, 1);
  let inputPath: string;

  beforeAll(async () => {
    dir = await tempDir();
    inputPath = dir.file('sine-440.wav');
    await writeFile(inputPath, encodeWav(input, { bitDepth: 16 }));
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('runs the example manifest (Gain -6 dB, Resample to 16 kHz): rate, length, level and pitch are right', async () => {
    const outputPath = dir.file('out.wav');
    const { code, stdout, stderr } = await runCli(['run', MANIFEST, '--input', inputPath, '--output', outputPath, '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      `${inputPath} (1.000 s of 48000 Hz x 1 ch) -> Gain -> Resample -> ${outputPath} (16000 samples at 16000 Hz x 1 ch, 16-bit)\n`,
    );

    const { frame: output, format } = decodeWavFile(await readFile(outputPath));
    expect(format).toEqual({ bitDepth: 16, float: false });
    expect(output.sampleRate).toBe(16000);
    expect(output.channels).toBe(1);
    // The Resampler guarantees round(n * outRate / inRate) frames for a whole stream (push + flush), however the
    // input is cut into blocks: here exactly 48000 * 16000 / 48000.
    expect(audioFrameLength(output)).toBe(Math.round((48000 * 16000) / 48000));

    const inputRms = rms(middle(sine(440, 0.5, 48000, 1)));
    const gainDb = 20 * Math.log10(rms(middle(output)) / inputRms);
    expect(Math.abs(gainDb - -6)).toBeLessThan(0.2);
    const frequency = zeroCrossingFrequency(middle(output), 16000);
    expect(Math.abs(frequency - 440) / 440).toBeLessThan(0.01);
  });

  it('keeps the input level and pitch in its own measure (the analysis is sound)', () => {
    expect(20 * Math.log10(rms(middle(input)) / (0.5 / Math.SQRT2))).toBeCloseTo(0, 2);
    expect(zeroCrossingFrequency(middle(input), 48000)).toBeCloseTo(440, 1);
  });

  for (const [flag, expected] of [
    ['24', { bitDepth: 24, float: false }],
    ['32', { bitDepth: 32, float: true }],
  ] as const) {
    it(`writes the output at --bit-depth ${flag}`, async () => {
      const outputPath = dir.file(`out-${flag}.wav`);
      const { code, stdout } = await runCli(['run', MANIFEST, '--input', inputPath, '--output', outputPath, '--bit-depth', flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(flag === '32' ? /32-bit float\)$/m : /24-bit\)$/m);
      const { frame, format } = decodeWavFile(await readFile(outputPath));
      expect(format).toEqual(expected);
      expect(audioFrameLength(frame)).toBe(16000);
    });
  }

  it('keeps the input depth by default and every channel of a stereo file', async () => {
    const stereo = new Float32Array(9600 * 2);
    for (let i = 0; i < 9600; i++) {
      stereo[2 * i] = 0.25 * Math.sin((2 * Math.PI * 440 * i) / 48000);
      stereo[2 * i + 1] = -0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000);
    }
    const stereoPath = dir.file('stereo.wav');
    await writeFile(stereoPath, encodeWav({ kind: 'audio', sampleRate: 48000, channels: 2, timestamp: 0, samples: stereo }, { bitDepth: 24 }));
    const outputPath = dir.file('stereo-out.wav');
    const { code } = await runCli(['run', MANIFEST, '--input', stereoPath, '--output', outputPath]);
    expect(code).toBe(0);
    const { frame, format } = decodeWavFile(await readFile(outputPath));
    expect(format).toEqual({ bitDepth: 24, float: false });
    expect(frame.channels).toBe(2);
    expect(audioFrameLength(frame)).toBe(3200);
    const channel = (index: number) => ({ ...frame, channels: 1, samples: frame.samples.filter((_, i) => i % 2 === index) });
    expect(20 * Math.log10(rms(middle(channel(1))) / rms(middle(channel(0))))).toBeCloseTo(20 * Math.log10(2), 1);
  });
});
