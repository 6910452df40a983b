import { describe, expect, it } from 'vitest';
import { createAudioFrame, type AudioFrameData } from '@remotemedia/shared/frames';
import { ErrorCode } from '@remotemedia/shared/errors';
import { Pipeline } from '@remotemedia/shared/pipeline';
import {
  createNode,
  resampleBuffer,
  type ClippingAudioFrame,
  type MeteredAudioFrame,
  type SilenceAudioFrame,
  type SpeechSegment,
} from '@remotemedia/shared/nodes';

function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 1): Float32Array {
  const n = Math.round(sampleRate * seconds);
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate));
}

function rms(samples: Float32Array): number {
  return Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
}

/** Frequency from the mean spacing of rising zero crossings (interpolated), skipping edge effects. */
function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings.push(i - 1 + samples[i - 1]! / (samples[i - 1]! - samples[i]!));
  }
  const inner = crossings.slice(2, -2);
  return sampleRate / ((inner.at(-1)! - inner[0]!) / (inner.length - 1));
}

function splitFrames(samples: Float32Array, sampleRate: number, channels: number, blockFrames: number): AudioFrameData[] {
  const frames: AudioFrameData[] = [];
  for (let start = 0; start < samples.length / channels; start += blockFrames) {
    const end = Math.min(start + blockFrames, samples.length / channels);
    frames.push(
      createAudioFrame({ sampleRate, channels, timestamp: (start / sampleRate) * 1000, samples: samples.slice(start * channels, end * channels) }),
    );
  }
  return frames;
}

async function run(nodeName: string, config: unknown, frames: unknown[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of new Pipeline([createNode(nodeName, config)]).stream(frames)) out.push(item);
  return out;
}

function concat(frames: AudioFrameData[]): Float32Array {
  const out = new Float32Array(frames.reduce((n, f) => n + f.samples.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame.samples, offset);
    offset += frame.samples.length;
  }
  return out;
}

describe('Gain', () => {
  it('changes the RMS of a sine by the configured dB', async () => {
    const input = createAudioFrame({ sampleRate: 48000, channels: 1, samples: sine(440, 48000, 0.1, 0.5) });
    for (const gainDb of [-6, 3, -20]) {
      const [output] = (await run('Gain', { gainDb }, [input])) as AudioFrameData[];
      expect(20 * Math.log10(rms(output!.samples) / rms(input.samples))).toBeCloseTo(gainDb, 6);
    }
  });

  it('rejects a non-audio input with INVALID_INPUT', async () => {
    await expect(run('Gain', {}, [{ kind: 'video' }])).rejects.toMatchObject({ code: ErrorCode.InvalidInput, nodeName: 'Gain' });
  });
});

describe('Resample', () => {
  it('48 kHz -> 16 kHz keeps a 1 kHz sine at 1 kHz and gives round(n * 16/48) samples', async () => {
    const input = sine(1000, 48000, 0.5);
    const output = concat((await run('Resample', { targetSampleRate: 16000 }, splitFrames(input, 48000, 1, 480))) as AudioFrameData[]);
    expect(output.length).toBe(Math.round((input.length * 16000) / 48000));
    expect(Math.abs(zeroCrossingFrequency(output, 16000) - 1000)).toBeLessThan(10);
    // Band-limited: the level of the sine survives (no attenuation at 1 kHz, no aliasing energy).
    expect(rms(output.subarray(200, -200))).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('16 kHz -> 44.1 kHz (upsampling, non-integer ratio) keeps frequency, length and timestamps', async () => {
    const input = sine(440, 16000, 0.3);
    const frames = (await run('Resample', { targetSampleRate: 44100 }, splitFrames(input, 16000, 1, 160))) as AudioFrameData[];
    const output = concat(frames);
    expect(output.length).toBe(Math.round((input.length * 44100) / 16000));
    expect(Math.abs(zeroCrossingFrequency(output, 44100) - 440)).toBeLessThan(4.4);
    let expectedFrames = 0;
    for (const frame of frames) {
      expect(frame.sampleRate).toBe(44100);
      expect(frame.timestamp).toBeCloseTo((expectedFrames / 44100) * 1000, 9);
      expectedFrames += frame.samples.length;
    }
  });

  it('removes content above the new Nyquist frequency instead of aliasing it', () => {
    // 10 kHz cannot exist at 16 kHz; a naive decimator would fold it to 6 kHz at full level.
    const output = resampleBuffer(sine(10000, 48000, 0.2), 1, 48000, 16000);
    expect(rms(output.subarray(100, -100))).toBeLessThan(0.01);
  });

  it('resamples interleaved stereo channel by channel', () => {
    const left = sine(500, 48000, 0.1);
    const stereo = new Float32Array(left.length * 2);
    left.forEach((x, i) => {
      stereo[2 * i] = x;
      stereo[2 * i + 1] = -x;
    });
    const output = resampleBuffer(stereo, 2, 48000, 24000);
    expect(output.length).toBe(left.length);
    for (let i = 0; i < output.length; i += 2) expect(output[i + 1]).toBeCloseTo(-output[i]!, 6);
  });

  it('passes audio already at the target rate through untouched', async () => {
    const frame = createAudioFrame({ sampleRate: 16000, channels: 1, samples: sine(100, 16000, 0.01) });
    expect(await run('Resample', { targetSampleRate: 16000 }, [frame])).toEqual([frame]);
  });

  it('reports a bad target rate at its path', () => {
    expect(() => createNode('Resample', { targetSampleRate: 'abc' })).toThrow(
      'config.targetSampleRate: must be an integer between 8000 and 192000, got "abc"',
    );
  });
});

describe('AudioChunker', () => {
  it('re-blocks into fixed chunks with continuous timestamps and flushes the remainder', async () => {
    const input = splitFrames(
      Float32Array.from({ length: 1000 }, (_, i) => i),
      1000,
      1,
      300,
    );
    const chunks = (await run('AudioChunker', { chunkSize: 256 }, input)) as AudioFrameData[];
    expect(chunks.map((c) => c.samples.length)).toEqual([256, 256, 256, 232]);
    expect(chunks.map((c) => c.timestamp)).toEqual([0, 256, 512, 768]);
    expect(concat(chunks)).toEqual(Float32Array.from({ length: 1000 }, (_, i) => i));
  });

  it('zero-pads the last chunk when padFinal is set', async () => {
    const input = splitFrames(new Float32Array(10).fill(1), 1000, 2, 5);
    const chunks = (await run('AudioChunker', { chunkSize: 4, padFinal: true }, input)) as AudioFrameData[];
    expect(chunks.map((c) => c.samples.length)).toEqual([8, 8]);
    expect(Array.from(chunks[1]!.samples)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('ChannelMix', () => {
  it('averages stereo to mono and copies mono to stereo', async () => {
    const stereo = createAudioFrame({ sampleRate: 8000, channels: 2, samples: Float32Array.from([1, 0, 0.5, -0.5, -1, -0.5]) });
    const [mono] = (await run('ChannelMix', { channels: 1 }, [stereo])) as AudioFrameData[];
    expect(mono!.channels).toBe(1);
    expect(Array.from(mono!.samples)).toEqual([0.5, 0, -0.75]);
    const [back] = (await run('ChannelMix', { channels: 2 }, [mono])) as AudioFrameData[];
    expect(Array.from(back!.samples)).toEqual([0.5, 0.5, 0, 0, -0.75, -0.75]);
  });
});

describe('LevelMeter', () => {
  it('measures a full-scale sine at -3.01 dBFS RMS and 0 dBFS peak, passing samples through', async () => {
    const samples = sine(1000, 48000, 0.1);
    samples[12] = 1; // the sampled sine may miss its exact crest
    const frame = createAudioFrame({ sampleRate: 48000, channels: 1, samples });
    const [out] = (await run('LevelMeter', {}, [frame])) as MeteredAudioFrame[];
    expect(out!.levels.rmsDb).toBeCloseTo(-3.01, 2);
    expect(out!.levels.peakDb).toBeCloseTo(0, 6);
    expect(out!.samples).toBe(frame.samples);
  });

  it('reports per-channel levels and floors silence at -120 dBFS', async () => {
    const samples = new Float32Array(200);
    for (let i = 0; i < 100; i++) samples[2 * i] = 0.5;
    const [out] = (await run('LevelMeter', {}, [createAudioFrame({ sampleRate: 8000, channels: 2, samples })])) as MeteredAudioFrame[];
    expect(out!.levels.channelRmsDb[0]).toBeCloseTo(-6.02, 2);
    expect(out!.levels.channelRmsDb[1]).toBe(-120);
  });
});

describe('ClippingDetector', () => {
  it('flags frames whose samples reach full scale and counts them', async () => {
    const clean = createAudioFrame({ sampleRate: 8000, channels: 1, samples: sine(100, 8000, 0.05, 0.8) });
    const hot = createAudioFrame({ sampleRate: 8000, channels: 1, samples: sine(100, 8000, 0.05, 2).map((x) => Math.max(-1, Math.min(1, x))) });
    const [a, b] = (await run('ClippingDetector', {}, [clean, hot])) as ClippingAudioFrame[];
    expect(a!.clipping).toMatchObject({ clipped: false, clippedSamples: 0 });
    expect(b!.clipping.clipped).toBe(true);
    // |2 sin| >= 1 wherever |sin| >= 1/2: two thirds of each period.
    expect(b!.clipping.ratio).toBeCloseTo(2 / 3, 1);
  });
});

describe('SilenceDetector', () => {
  it('declares silence only after minSilenceMs below the threshold, and clears on sound', async () => {
    const quiet = (t: number) => createAudioFrame({ sampleRate: 8000, channels: 1, timestamp: t, samples: sine(200, 8000, 0.1, 0.001) });
    const loud = (t: number) => createAudioFrame({ sampleRate: 8000, channels: 1, timestamp: t, samples: sine(200, 8000, 0.1, 0.5) });
    const out = (await run('SilenceDetector', { thresholdDb: -50, minSilenceMs: 250 }, [
      loud(0),
      quiet(100),
      quiet(200),
      quiet(300),
      loud(400),
    ])) as SilenceAudioFrame[];
    expect(out.map((f) => f.silence.silent)).toEqual([false, false, false, true, false]);
    expect(out[3]!.silence.silentForMs).toBeCloseTo(300, 6);
    expect(out[3]!.silence.rmsDb).toBeLessThan(-50);
  });
});

describe('VoiceActivityDetector', () => {
  it('finds one segment in silence-noise burst-silence with start and end within 30 ms', async () => {
    const rate = 16000;
    let seed = 1;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const samples = new Float32Array(rate * 2);
    for (let i = 0; i < samples.length; i++) {
      const t = i / rate;
      samples[i] = t >= 0.5 && t < 1.5 ? 0.3 * noise() : 0.0005 * noise();
    }
    const out = (await run('VoiceActivityDetector', {}, splitFrames(samples, rate, 1, 320))) as SpeechSegment[];
    expect(out).toHaveLength(1);
    expect(out[0]!.type).toBe('speech-segment');
    expect(Math.abs(out[0]!.start - 500)).toBeLessThanOrEqual(30);
    expect(Math.abs(out[0]!.end - 1500)).toBeLessThanOrEqual(30);
  });

  it('bridges short pauses (hangover), drops clicks (min duration) and emits an open segment on flush', async () => {
    const rate = 8000;
    const samples = new Float32Array(rate * 2);
    const loud = (from: number, to: number) => samples.fill(0.5, Math.round(from * rate), Math.round(to * rate));
    loud(0.1, 0.13); // 30 ms click
    loud(0.5, 0.8);
    loud(0.9, 1.0); // 100 ms pause: same segment
    loud(1.7, 2.0); // still speaking when the input ends
    const out = (await run('VoiceActivityDetector', { minSpeechMs: 80, hangoverMs: 150 }, splitFrames(samples, rate, 1, 80))) as SpeechSegment[];
    expect(out.map((s) => [Math.round(s.start), Math.round(s.end)])).toEqual([
      [500, 1000],
      [1700, 2000],
    ]);
  });

  it('rejects a stop threshold above the start threshold', () => {
    expect(() => createNode('VoiceActivityDetector', { startThresholdDb: -40, stopThresholdDb: -30 })).toThrow(/config\.stopThresholdDb/);
  });
});
