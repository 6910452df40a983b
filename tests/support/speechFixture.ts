import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '@remotemedia/shared';

/** A hand-labelled stretch of speech, in ms from the start of the signal. */
export interface LabelledSegment {
  readonly start: number;
  readonly end: number;
}

export interface SpeechFixture {
  readonly sampleRate: number;
  /** The speech alone, at its place in the signal. */
  readonly clean: Float32Array;
  /** The noise alone, as mixed in. */
  readonly noise: Float32Array;
  /** clean + noise. */
  readonly noisy: Float32Array;
  readonly segments: readonly LabelledSegment[];
}

export interface SpeechFixtureOptions {
  sampleRate: number;
  /** Speech-to-noise power ratio over the voiced stretches (dB). */
  snrDb: number;
  /** sox's noise colours. */
  noise: 'whitenoise' | 'pinknoise' | 'brownnoise';
}

const SENTENCES = ['The quick brown fox jumps over the lazy dog near the river bank.', 'Please remember to send the report before Friday afternoon.'];
/** Silence before, between and after the two utterances (ms): pauses between words are far shorter. */
const GAPS_MS = [1200, 1600, 1200];
/** A 10 ms window louder than this (dBFS) in the clean utterance counts as voiced when labelling. */
const VOICED_DB = -45;

/**
 * Real speech, mixed with noise at known places: espeak-ng speaks two sentences, sox converts them to
 * `sampleRate` and synthesizes the noise. The labels come from how the file is built: each utterance's voiced
 * extent (first to last 10 ms window above -45 dBFS in the clean clip, which espeak pads with silence),
 * shifted to where it was placed. Needs espeak-ng and sox (scripts/ensure-debian-tools.mjs installs them).
 */
export function buildSpeechFixture(options: SpeechFixtureOptions): SpeechFixture {
  const { sampleRate, snrDb } = options;
  const dir = mkdtempSync(join(tmpdir(), 'remotemedia-speech-'));
  try {
    const clips = SENTENCES.map((sentence, n) => {
      const raw = join(dir, `say${n}.wav`);
      const converted = join(dir, `say${n}-${sampleRate}.wav`);
      execFileSync('espeak-ng', ['-v', 'en', '-s', '150', '-w', raw, sentence], { timeout: 20_000 });
      execFileSync('sox', [raw, '-r', String(sampleRate), '-c', '1', '-b', '16', converted], { timeout: 20_000 });
      return decodeWav(readFileSync(converted)).samples;
    });
    const gap = (ms: number): number => Math.round((ms / 1000) * sampleRate);
    const total = clips.reduce((sum, clip) => sum + clip.length, 0) + GAPS_MS.reduce((sum, ms) => sum + gap(ms), 0);
    const clean = new Float32Array(total);
    const segments: LabelledSegment[] = [];
    let at = gap(GAPS_MS[0]!);
    const voiced: Array<[number, number]> = [];
    clips.forEach((clip, n) => {
      clean.set(clip, at);
      const [first, last] = voicedExtent(clip, sampleRate);
      voiced.push([at + first, at + last]);
      segments.push({ start: ((at + first) / sampleRate) * 1000, end: ((at + last) / sampleRate) * 1000 });
      at += clip.length + gap(GAPS_MS[n + 1]!);
    });
    const noiseFile = join(dir, 'noise.wav');
    const seconds = (total / sampleRate + 0.1).toFixed(3);
    // -R: sox's repeatable mode (a fixed seed), so every run mixes the same noise.
    execFileSync('sox', ['-R', '-n', '-r', String(sampleRate), '-c', '1', '-b', '16', noiseFile, 'synth', seconds, options.noise], {
      timeout: 20_000,
    });
    const rawNoise = decodeWav(readFileSync(noiseFile)).samples.subarray(0, total);
    const speechPower = power(clean, voiced);
    const noisePower = power(rawNoise, [[0, total]]);
    const scale = Math.sqrt(speechPower / (noisePower * 10 ** (snrDb / 10)));
    const noise = Float32Array.from(rawNoise, (v) => v * scale);
    const noisy = Float32Array.from(clean, (v, i) => v + noise[i]!);
    return { sampleRate, clean, noise, noisy, segments };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** First and last sample of the 10 ms windows above VOICED_DB. */
function voicedExtent(clip: Float32Array, sampleRate: number): [number, number] {
  const window = Math.round(sampleRate / 100);
  let first = -1;
  let last = -1;
  for (let start = 0; start + window <= clip.length; start += window) {
    let sum = 0;
    for (let i = start; i < start + window; i++) sum += clip[i]! * clip[i]!;
    if (10 * Math.log10(sum / window + 1e-20) > VOICED_DB) {
      if (first < 0) first = start;
      last = start + window;
    }
  }
  if (first < 0) throw new Error('espeak-ng produced a silent clip');
  return [first, last];
}

function power(samples: Float32Array, ranges: ReadonlyArray<readonly [number, number]>): number {
  let sum = 0;
  let count = 0;
  for (const [from, to] of ranges) {
    for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
    count += to - from;
  }
  return sum / count;
}
