import { describe, expect, it } from 'vitest';
import { createAudioFrame, type AudioFrameData } from '@remotemedia/shared/frames';
import { ErrorCode } from '@remotemedia/shared/errors';
import { Pipeline } from '@remotemedia/shared/pipeline';
import {
  createNode,
  type CompressedAudioFrame,
  type DtmfAudioFrame,
  type GatedAudioFrame,
  type LimitedAudioFrame,
  type LoudnessAudioFrame,
  type PitchAudioFrame,
  type ToneAudioFrame,
} from '@remotemedia/shared/nodes';

/** Deterministic white noise in [-1, 1] (a fixed LCG), so every run hears the same "real" noise. */
function noise(length: number, amplitude: number, seed = 1): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return amplitude * ((state / 2 ** 32) * 2 - 1);
  });
}

function tone(frequency: number, sampleRate: number, seconds: number, amplitude = 1, phase = 0): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin(phase + (2 * Math.PI * frequency * i) / sampleRate));
}

function add(...signals: Float32Array[]): Float32Array {
  const out = new Float32Array(Math.max(...signals.map((s) => s.length)));
  for (const signal of signals) signal.forEach((x, i) => (out[i]! += x));
  return out;
}

function join(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function frames(samples: Float32Array, sampleRate: number, blockFrames = Math.round(sampleRate / 50), channels = 1): AudioFrameData[] {
  const out: AudioFrameData[] = [];
  for (let start = 0; start < samples.length / channels; start += blockFrames) {
    const end = Math.min(start + blockFrames, samples.length / channels);
    out.push(
      createAudioFrame({ sampleRate, channels, timestamp: (start / sampleRate) * 1000, samples: samples.slice(start * channels, end * channels) }),
    );
  }
  return out;
}

async function run<T = AudioFrameData>(name: string, config: unknown, input: unknown[]): Promise<T[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([createNode(name, config)]).stream(input)) out.push(item);
  return out as T[];
}

function samplesOf(out: AudioFrameData[]): Float32Array {
  return join(...out.map((f) => f.samples));
}

const rms = (x: Float32Array, from = 0, to = x.length) => Math.sqrt(x.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
const db = (ratio: number) => 20 * Math.log10(ratio);

describe('BiquadFilter', () => {
  const rate = 48_000;
  /** Level change of a sine through the filter, in dB, after the filter has settled. */
  async function response(config: object, frequency: number): Promise<number> {
    const input = tone(frequency, rate, 0.5, 0.5);
    const output = samplesOf(await run('BiquadFilter', config, frames(input, rate)));
    return db(rms(output, rate * 0.2) / rms(input, rate * 0.2));
  }

  it('a 1 kHz low-pass keeps 100 Hz, is -3 dB at the cutoff and -24 dB an octave... of two sections above', async () => {
    expect(await response({ type: 'lowpass', frequencyHz: 1000 }, 100)).toBeCloseTo(0, 1);
    expect(await response({ type: 'lowpass', frequencyHz: 1000 }, 1000)).toBeCloseTo(-3.01, 1);
    // 12 dB/octave per section: two sections give about -24 dB an octave above... at 4 kHz, two octaves: about -48.
    const twoOctaves = await response({ type: 'lowpass', frequencyHz: 1000, sections: 2 }, 4000);
    expect(twoOctaves).toBeLessThan(-44);
    expect(twoOctaves).toBeGreaterThan(-52);
  });

  it('a high-pass removes 50 Hz hum from speech-band content', async () => {
    const hum = tone(50, rate, 1, 0.5);
    const voice = tone(440, rate, 1, 0.2);
    const output = samplesOf(await run('BiquadFilter', { type: 'highpass', frequencyHz: 150, sections: 2 }, frames(add(hum, voice), rate)));
    // What is left is the 440 Hz content: its level, within 0.5 dB.
    expect(db(rms(output, rate * 0.3) / rms(voice, rate * 0.3))).toBeCloseTo(0, 0);
    expect(Math.abs(db(rms(output, rate * 0.3) / rms(voice, rate * 0.3)))).toBeLessThan(0.5);
  });

  it('a notch takes out its frequency and a peaking filter adds its gain there', async () => {
    expect(await response({ type: 'notch', frequencyHz: 1000, q: 2 }, 1000)).toBeLessThan(-40);
    expect(await response({ type: 'peaking', frequencyHz: 1000, q: 1, gainDb: 6 }, 1000)).toBeCloseTo(6, 1);
    expect(await response({ type: 'highshelf', frequencyHz: 2000, gainDb: -12 }, 10_000)).toBeCloseTo(-12, 0);
  });

  it("refuses a cutoff above the audio's Nyquist frequency with INVALID_INPUT", async () => {
    await expect(run('BiquadFilter', { type: 'lowpass', frequencyHz: 10_000 }, frames(tone(100, 16_000, 0.1), 16_000))).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining('above the Nyquist frequency of this 16000 Hz audio'),
    });
  });
});

describe('DcBlocker', () => {
  it('removes a DC offset and leaves a 200 Hz tone at its level', async () => {
    const rate = 16_000;
    const signal = tone(200, rate, 1, 0.5);
    const offset = signal.map((x) => x + 0.3);
    const output = samplesOf(await run('DcBlocker', { cutoffHz: 10 }, frames(offset, rate)));
    const tail = output.subarray(rate * 0.5);
    expect(Math.abs(tail.reduce((a, b) => a + b, 0) / tail.length)).toBeLessThan(0.002);
    expect(Math.abs(db(rms(tail) / rms(signal, rate * 0.5)))).toBeLessThan(0.05);
  });
});

describe('Compressor', () => {
  it('brings a loud passage down by the ratio above the threshold and leaves a quiet one alone', async () => {
    const rate = 48_000;
    const quiet = tone(300, rate, 0.5, 0.05); // -26 dBFS peak, under the threshold
    const loud = tone(300, rate, 0.5, 1); // 0 dBFS peak: 20 dB over a -20 dB threshold
    const out = await run<CompressedAudioFrame>(
      'Compressor',
      { thresholdDb: -20, ratio: 4, kneeDb: 0, attackMs: 1, releaseMs: 50 },
      frames(join(quiet, loud), rate),
    );
    const output = samplesOf(out);
    expect(Math.abs(db(rms(output, rate * 0.2, rate * 0.5) / rms(quiet, rate * 0.2)))).toBeLessThan(0.1);
    // 20 dB over at 4:1 comes out 5 dB over: a 15 dB reduction (the peak detector follows each cycle, within 1 dB).
    const reduction = db(rms(output, rate * 0.8, rate) / rms(loud, rate * 0.3));
    expect(reduction).toBeGreaterThan(-16);
    expect(reduction).toBeLessThan(-13.5);
    expect(Math.min(...out.map((f) => f.dynamics.gainReductionDb))).toBeLessThan(-14);
  });
});

describe('Limiter', () => {
  it('keeps every sample under the ceiling, delays by the look-ahead, and loses no sample', async () => {
    const rate = 48_000;
    const input = join(tone(200, rate, 0.3, 0.3), tone(200, rate, 0.05, 1.8), tone(200, rate, 0.3, 0.3), noise(rate * 0.2, 1.5));
    const out = await run<LimitedAudioFrame>('Limiter', { ceilingDb: -1, lookaheadMs: 5, releaseMs: 50 }, frames(input, rate, 480));
    const output = samplesOf(out);
    expect(output.length).toBe(input.length);
    const ceiling = 10 ** (-1 / 20);
    expect(Math.max(...output.map(Math.abs))).toBeLessThanOrEqual(ceiling + 1e-6);
    // Before the first loud burst it is the input, 5 ms (240 samples) late.
    for (let i = 1000; i < 10_000; i += 97) expect(output[i + 240]).toBeCloseTo(input[i]!, 6);
    expect(Math.min(...out.map((f) => f.dynamics.gainReductionDb))).toBeLessThan(-5);
    // Timestamps stay continuous: each frame starts where the last ended.
    let at = 0;
    for (const frame of out) {
      expect(frame.timestamp).toBeCloseTo((at / rate) * 1000, 6);
      at += frame.samples.length;
    }
  });
});

describe('NoiseGate', () => {
  it('mutes the noise floor between sounds and passes the sounds', async () => {
    const rate = 16_000;
    const floor = noise(rate * 2, 0.003, 7); // about -55 dBFS
    const burst = (at: number) => {
      const s = new Float32Array(rate * 2);
      s.set(tone(500, rate, 0.3, 0.5), Math.round(at * rate));
      return s;
    };
    const input = add(floor, burst(0.2), burst(1.2));
    const out = await run<GatedAudioFrame>('NoiseGate', { thresholdDb: -30, rangeDb: -60, holdMs: 50, releaseMs: 10 }, frames(input, rate));
    const output = samplesOf(out);
    // Mid-burst: unchanged.
    expect(Math.abs(db(rms(output, rate * 0.3, rate * 0.45) / rms(input, rate * 0.3, rate * 0.45)))).toBeLessThan(0.1);
    // Between bursts (after hold and release): the floor is 60 dB down.
    expect(db(rms(output, rate * 0.8, rate * 1.1) / rms(input, rate * 0.8, rate * 1.1))).toBeLessThan(-50);
    expect(out.filter((f) => f.gate.open).length).toBeGreaterThan(20);
    expect(out.filter((f) => !f.gate.open).length).toBeGreaterThan(40);
  });
});

describe('LoudnessMeter', () => {
  it.each([48_000, 44_100])('a 1 kHz sine measures 20 log10(A) - 3.01 LUFS momentary, short-term and integrated (%i Hz)', async (rate) => {
    const amplitude = 0.5;
    const out = await run<LoudnessAudioFrame>('LoudnessMeter', {}, frames(tone(1000, rate, 4, amplitude), rate));
    const expected = db(amplitude) - 3.01;
    const last = out.at(-1)!.loudness;
    expect(last.momentaryLufs!).toBeCloseTo(expected, 1);
    expect(last.shortTermLufs!).toBeCloseTo(expected, 1);
    expect(last.integratedLufs!).toBeCloseTo(expected, 1);
    // Not enough audio yet: null, not a made-up number.
    expect(out[0]!.loudness).toEqual({ momentaryLufs: null, shortTermLufs: null, integratedLufs: null });
  });

  it('sums channels: the same sine on both stereo channels is 3 dB louder; silence is below the gate', async () => {
    const rate = 48_000;
    const mono = tone(1000, rate, 1, 0.25);
    const stereo = new Float32Array(mono.length * 2);
    mono.forEach((x, i) => stereo.set([x, x], 2 * i));
    const [m] = (await run<LoudnessAudioFrame>('LoudnessMeter', {}, frames(mono, rate, rate))).slice(-1);
    const [s] = (await run<LoudnessAudioFrame>('LoudnessMeter', {}, frames(stereo, rate, rate, 2))).slice(-1);
    expect(s!.loudness.momentaryLufs! - m!.loudness.momentaryLufs!).toBeCloseTo(3.01, 1);
    const [silent] = (await run<LoudnessAudioFrame>('LoudnessMeter', {}, frames(new Float32Array(rate), rate, rate))).slice(-1);
    expect(silent!.loudness.integratedLufs).toBeNull();
  });

  it('the relative gate ignores quiet passages in the integrated loudness', async () => {
    const rate = 48_000;
    const loud = tone(1000, rate, 3, 0.5);
    const quiet = tone(1000, rate, 3, 0.5 * 10 ** (-30 / 20)); // 30 LU down: under the -10 LU relative gate
    const [last] = (await run<LoudnessAudioFrame>('LoudnessMeter', {}, frames(join(loud, quiet), rate))).slice(-1);
    expect(last!.loudness.integratedLufs!).toBeCloseTo(db(0.5) - 3.01, 0);
  });
});

describe('PitchDetector', () => {
  const rate = 48_000;
  /** A sawtooth: every harmonic present, the case where naive autocorrelation picks an octave. */
  function sawtooth(frequency: number, seconds: number): Float32Array {
    const n = Math.round(rate * seconds);
    return Float32Array.from({ length: n }, (_, i) => 0.4 * (2 * ((i * frequency) / rate - Math.floor(0.5 + (i * frequency) / rate))));
  }

  it.each([
    ['a 220 Hz sine', tone(220, rate, 0.5, 0.5), 220],
    ['a 150 Hz sawtooth (rich in harmonics)', sawtooth(150, 0.5), 150],
    [
      'a 110 Hz voice-like tone with harmonics and noise',
      add(tone(110, rate, 0.5, 0.3), tone(220, rate, 0.5, 0.2), tone(330, rate, 0.5, 0.15), noise(rate * 0.5, 0.02)),
      110,
    ],
  ])('finds the fundamental of %s within 1%%', async (_, signal, expected) => {
    const out = await run<PitchAudioFrame>('PitchDetector', {}, frames(signal, rate));
    const found = out.slice(-10).map((f) => f.pitch.frequencyHz);
    for (const hz of found) expect(Math.abs(hz! - expected) / expected).toBeLessThan(0.01);
    expect(out.at(-1)!.pitch.confidence).toBeGreaterThan(0.8);
  });

  it('reports no pitch for noise or silence', async () => {
    const out = await run<PitchAudioFrame>('PitchDetector', {}, frames(join(noise(rate * 0.5, 0.3), new Float32Array(rate * 0.3)), rate));
    const noisy = out.slice(5, 25).filter((f) => f.pitch.frequencyHz !== null);
    expect(noisy.length).toBeLessThan(3);
    expect(out.at(-1)!.pitch.frequencyHz).toBeNull();
  });

  it('refuses minHz above maxHz at the config path', () => {
    expect(() => createNode('PitchDetector', { minHz: 500, maxHz: 200 })).toThrow('config.minHz: must be below maxHz (200), got 500');
  });
});

describe('ToneDetector', () => {
  it('hears a 1 kHz tone in noise, not a 1.3 kHz one, and only after minDurationMs', async () => {
    const rate = 16_000;
    const signal = add(
      join(new Float32Array(rate * 0.2), tone(1000, rate, 0.3, 0.3), new Float32Array(rate * 0.2), tone(1300, rate, 0.3, 0.3)),
      noise(rate, 0.01),
    );
    const out = await run<ToneAudioFrame>('ToneDetector', { frequencyHz: 1000, minDurationMs: 40 }, frames(signal, rate));
    const present = out.map((f) => f.tone.present);
    expect(present.slice(0, 10).some(Boolean)).toBe(false);
    // The tone runs 200-500 ms: frames 10-24; the first 40 ms (2 frames) are the debounce.
    expect(present.slice(12, 25).every(Boolean)).toBe(true);
    expect(present[10]).toBe(false);
    expect(present.slice(35).some(Boolean)).toBe(false);
  });
});

describe('DtmfDetector', () => {
  const ROWS = [697, 770, 852, 941];
  const COLUMNS = [1209, 1336, 1477, 1633];
  const KEYS = ['123A', '456B', '789C', '*0#D'];

  function dial(digits: string, rate: number): Float32Array {
    const parts: Float32Array[] = [new Float32Array(Math.round(rate * 0.1))];
    for (const digit of digits) {
      const row = KEYS.findIndex((r) => r.includes(digit));
      const column = KEYS[row]!.indexOf(digit);
      parts.push(add(tone(ROWS[row]!, rate, 0.09, 0.3), tone(COLUMNS[column]!, rate, 0.09, 0.25)));
      parts.push(new Float32Array(Math.round(rate * 0.07)));
    }
    const signal = join(...parts);
    return add(signal, noise(signal.length, 0.02, 3));
  }

  it.each([8000, 48_000])('decodes every key of a dialled number in noise, once each, in order (%i Hz)', async (rate) => {
    const number = '159#0*2486D';
    const out = await run<DtmfAudioFrame>('DtmfDetector', {}, frames(dial(number, rate), rate));
    expect(out.flatMap((f) => f.dtmf.pressed.map((k) => k.digit)).join('')).toBe(number);
    const released = out.flatMap((f) => f.dtmf.released);
    expect(released.map((k) => k.digit).join('')).toBe(number);
    for (const key of released) {
      expect(key.durationMs).toBeGreaterThan(50);
      expect(key.durationMs).toBeLessThan(130);
    }
  });

  it('hears no key in a voice-like harmonic tone or in noise', async () => {
    const rate = 16_000;
    const voice = add(tone(120, rate, 1, 0.3), tone(240, rate, 1, 0.2), tone(720, rate, 1, 0.1), tone(1320, rate, 1, 0.08));
    const out = await run<DtmfAudioFrame>('DtmfDetector', {}, frames(join(voice, noise(rate, 0.3)), rate));
    expect(out.flatMap((f) => f.dtmf.pressed)).toEqual([]);
  });
});
