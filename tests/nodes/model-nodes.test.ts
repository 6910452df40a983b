import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSileroVad, registerModelRuntimes } from '@remotemedia/edge-server/models';
import {
  ErrorCode,
  NoiseSuppressionNode,
  collectResult,
  createAudioFrame,
  createNode,
  listNodes,
  loadAudioModel,
  registerAudioModel,
  type AudioFrameData,
  type PipelineNode,
} from '@remotemedia/shared';
import { scoreSegments, type Span } from '../support/segmentScore.ts';
import { siSnrDb } from '../support/snr.ts';
import { buildSpeechFixture, type SpeechFixture } from '../support/speechFixture.ts';

/** Feeds interleaved `samples` to `node` in frames of `frameSize` (the last may be shorter); everything out, flush included. */
async function run(node: PipelineNode, samples: Float32Array, sampleRate: number, frameSize: number, channels = 1): Promise<unknown[]> {
  await node.initialize?.();
  const outputs: unknown[] = [];
  const frames = samples.length / channels;
  for (let at = 0; at < frames; at += frameSize) {
    const end = Math.min(at + frameSize, frames);
    const frame = createAudioFrame({
      sampleRate,
      channels,
      timestamp: (at / sampleRate) * 1000,
      samples: samples.slice(at * channels, end * channels),
    });
    outputs.push(...(await collectResult(await node.process!(frame))));
  }
  outputs.push(...(await collectResult(await node.flush!())));
  await node.cleanup?.();
  return outputs;
}

const ofType = (outputs: unknown[], type: string): Array<Span & Record<string, unknown>> =>
  outputs.filter((o) => (o as { type?: string }).type === type) as Array<Span & Record<string, unknown>>;

/** The energy VAD at its best on this audio: every start threshold from -50 to -10 dBFS, stop 6 dB below. */
async function bestEnergyVad(fixture: SpeechFixture, durationMs: number): Promise<{ threshold: number; frameAccuracy: number; speechF1: number }> {
  let best = { threshold: 0, frameAccuracy: -1, speechF1: 0 };
  for (let threshold = -50; threshold <= -10; threshold += 5) {
    const node = createNode('VoiceActivityDetector', { startThresholdDb: threshold, stopThresholdDb: threshold - 6 });
    const score = scoreSegments(ofType(await run(node, fixture.noisy, fixture.sampleRate, 480), 'speech-segment'), fixture.segments, durationMs);
    if (score.frameAccuracy > best.frameAccuracy) best = { threshold, ...score };
  }
  return best;
}

function concatAudio(outputs: unknown[]): Float32Array {
  const frames = outputs as AudioFrameData[];
  const out = new Float32Array(frames.reduce((sum, f) => sum + f.samples.length, 0));
  let at = 0;
  for (const frame of frames) {
    out.set(frame.samples, at);
    at += frame.samples.length;
  }
  return out;
}

beforeAll(() => {
  registerModelRuntimes();
});

describe('SileroVAD on real speech (espeak-ng, noise mixed in by sox)', () => {
  it('finds both utterances in white noise at 5 dB SNR (48 kHz input, resampled) within 250 ms of the labels', async () => {
    const fixture = buildSpeechFixture({ sampleRate: 48_000, snrDb: 5, noise: 'whitenoise' });
    const outputs = await run(createNode('SileroVAD', { emitProbabilities: true }), fixture.noisy, fixture.sampleRate, 960);
    const starts = ofType(outputs, 'speech-start');
    const segments = ofType(outputs, 'speech-end');
    expect(segments).toHaveLength(fixture.segments.length);
    expect(starts.map((s) => s.start)).toEqual(segments.map((s) => s.start));
    segments.forEach((segment, n) => {
      expect(Math.abs(segment.start - fixture.segments[n]!.start)).toBeLessThan(250);
      expect(Math.abs(segment.end - fixture.segments[n]!.end)).toBeLessThan(250);
    });
    // One probability per 32 ms of audio, dated back to back from the first frame.
    const probabilities = ofType(outputs, 'speech-probability') as unknown as Array<{ timestamp: number; probability: number }>;
    expect(probabilities.length).toBe(Math.ceil(fixture.noisy.length / 48_000 / 0.032));
    probabilities.forEach((p, n) => expect(p.timestamp).toBeCloseTo(n * 32, 6));
    const mean = (spans: Span[], inside: boolean): number => {
      const picked = probabilities.filter((p) => spans.some((s) => p.timestamp >= s.start && p.timestamp + 32 <= s.end) === inside);
      return picked.reduce((sum, p) => sum + p.probability, 0) / picked.length;
    };
    expect(mean([...fixture.segments], true)).toBeGreaterThan(0.6);
    expect(mean([...fixture.segments], false)).toBeLessThan(0.2);
  }, 60_000);

  it('beats the energy VAD, at any threshold, on noisy speech', async () => {
    for (const [options, margin] of [
      [{ sampleRate: 16_000, snrDb: 0, noise: 'pinknoise' }, 0.2],
      [{ sampleRate: 48_000, snrDb: 5, noise: 'whitenoise' }, 0.04],
    ] as const) {
      const fixture = buildSpeechFixture(options);
      const duration = (fixture.noisy.length / fixture.sampleRate) * 1000;
      const silero = scoreSegments(
        ofType(await run(createNode('SileroVAD'), fixture.noisy, fixture.sampleRate, 480), 'speech-end'),
        fixture.segments,
        duration,
      );
      const energy = await bestEnergyVad(fixture, duration);
      console.log(`${options.noise} ${options.snrDb} dB @ ${options.sampleRate} Hz: SileroVAD`, silero, 'energy VAD at its best', energy);
      expect(silero.frameAccuracy).toBeGreaterThan(0.9);
      expect(silero.frameAccuracy - energy.frameAccuracy).toBeGreaterThan(margin);
      expect(silero.speechF1).toBeGreaterThan(energy.speechF1);
    }
  }, 120_000);

  it('gives the same events for any frame size and channel layout of the same audio', async () => {
    const fixture = buildSpeechFixture({ sampleRate: 16_000, snrDb: 10, noise: 'pinknoise' });
    const mono = ofType(await run(createNode('SileroVAD'), fixture.noisy, 16_000, 512), 'speech-end');
    const stereo = new Float32Array(fixture.noisy.length * 2);
    fixture.noisy.forEach((v, i) => {
      stereo[2 * i] = v;
      stereo[2 * i + 1] = v;
    });
    const odd = ofType(await run(createNode('SileroVAD'), stereo, 16_000, 333, 2), 'speech-end');
    expect(mono).toHaveLength(2);
    expect(odd).toEqual(mono);
    // A flushed node starts over: a second stream through the same node gives the same events again.
    const reused = createNode('SileroVAD');
    const first = ofType(await run(reused, fixture.noisy, 16_000, 512), 'speech-end');
    const second = ofType(await run(reused, fixture.noisy, 16_000, 512), 'speech-end');
    expect(first).toEqual(mono);
    expect(second).toEqual(mono);
  }, 60_000);
});

describe('NoiseSuppression on real speech', () => {
  it('raises the SNR of speech in noise by a measured margin, at 48 kHz and (resampled) at 16 kHz', async () => {
    // Margins below what was measured (white at 48 kHz: 2.8 -> 12.8 dB; pink at 16 kHz: 2.8 -> 9.5 dB).
    for (const [options, frameSize, margin] of [
      [{ sampleRate: 48_000, snrDb: 5, noise: 'whitenoise' }, 960, 8],
      [{ sampleRate: 16_000, snrDb: 5, noise: 'pinknoise' }, 320, 5],
    ] as const) {
      const fixture = buildSpeechFixture(options);
      const node = new NoiseSuppressionNode();
      const outputs = (await run(node, fixture.noisy, fixture.sampleRate, frameSize)) as AudioFrameData[];
      const out = concatAudio(outputs);
      // The output lags by the latency the node reports; the flush brought the tail, so the lengths add up.
      const delay = Math.round((node.latencyMs! / 1000) * fixture.sampleRate);
      expect(out.length).toBe(fixture.noisy.length + delay);
      const aligned = out.subarray(delay, delay + fixture.noisy.length);
      const before = siSnrDb(fixture.noisy, fixture.clean);
      const after = siSnrDb(aligned, fixture.clean);
      console.log(
        `${options.noise} @ ${options.sampleRate} Hz: SNR ${before.toFixed(1)} dB -> ${after.toFixed(1)} dB (output delayed ${delay} samples)`,
      );
      expect(after - before).toBeGreaterThan(margin);
      // The silence between the utterances is mostly noise before and close to silence after.
      const gap = (signal: Float32Array): number => {
        const from = Math.round((fixture.segments[0]!.end / 1000 + 0.3) * fixture.sampleRate);
        const to = Math.round((fixture.segments[1]!.start / 1000 - 0.3) * fixture.sampleRate);
        let sum = 0;
        for (let i = from; i < to; i++) sum += signal[i]! ** 2;
        return 10 * Math.log10(sum / (to - from));
      };
      expect(gap(fixture.noisy) - gap(aligned)).toBeGreaterThan(15);
    }
  }, 60_000);

  it('keeps the input format: one output frame per input frame, same rate, channels, length and timestamp; flush returns the delayed tail', async () => {
    for (const [sampleRate, channels, frameSize, expectedLatency] of [
      [48_000, 1, 480, 30],
      [48_000, 2, 1000, 30],
      [16_000, 1, 160, undefined],
      [44_100, 2, 441, undefined],
      [8_000, 1, 77, undefined],
    ] as const) {
      const seconds = 0.5;
      const frames = Math.round(sampleRate * seconds);
      const input = new Float32Array(frames * channels);
      for (let i = 0; i < frames; i++)
        for (let c = 0; c < channels; c++) input[i * channels + c] = 0.3 * Math.sin((2 * Math.PI * 300 * (c + 1) * i) / sampleRate);
      const node = new NoiseSuppressionNode();
      await node.initialize();
      const sent: AudioFrameData[] = [];
      const received: AudioFrameData[] = [];
      for (let at = 0; at < frames; at += frameSize) {
        const frame = createAudioFrame({
          sampleRate,
          channels,
          timestamp: 1000 + (at / sampleRate) * 1000,
          samples: input.slice(at * channels, Math.min(at + frameSize, frames) * channels),
        });
        sent.push(frame);
        received.push(await node.process(frame));
      }
      const latencyMs = node.latencyMs!;
      if (expectedLatency !== undefined) expect(latencyMs).toBe(expectedLatency);
      else expect(latencyMs).toBeLessThan(35);
      const tail = await node.flush();
      received.forEach((out, n) => {
        expect(out).toMatchObject({ kind: 'audio', sampleRate, channels, timestamp: sent[n]!.timestamp });
        expect(out.samples.length).toBe(sent[n]!.samples.length);
      });
      expect(tail!.timestamp).toBeCloseTo(1000 + seconds * 1000, 6);
      expect(tail!.samples.length).toBe(Math.round((latencyMs / 1000) * sampleRate) * channels);
    }
  }, 60_000);
});

describe('model nodes in the catalogue', () => {
  it('lists SileroVAD and NoiseSuppression with their config schema, model and where they run', () => {
    const nodes = listNodes();
    const vad = nodes.find((n) => n.name === 'SileroVAD')!;
    expect(vad).toMatchObject({ category: 'audio', inputKinds: ['audio'], remote: true });
    expect(vad.model).toEqual({
      name: 'silero-vad',
      runtime: expect.stringContaining('onnxruntime-node'),
      sampleRate: 16_000,
      frameSamples: 512,
      runsOn: ['edge', 'node'],
    });
    expect(vad.configSchema.properties.threshold).toMatchObject({ type: 'number', default: 0.5 });
    expect(vad.configSchema.properties.minSilenceMs).toMatchObject({ type: 'number', default: 300 });
    const denoise = nodes.find((n) => n.name === 'NoiseSuppression')!;
    expect(denoise.model).toMatchObject({ name: 'rnnoise', sampleRate: 48_000, frameSamples: 480, runsOn: ['edge', 'node'] });
    expect(nodes.filter((n) => n.model).map((n) => n.name)).toEqual(['SileroVAD', 'NoiseSuppression']);
  });

  it('rejects a config whose negativeThreshold exceeds threshold, naming the field', () => {
    expect(() => createNode('SileroVAD', { threshold: 0.4, negativeThreshold: 0.6 })).toThrow(
      /config\.negativeThreshold: must not exceed threshold \(0\.4\), got 0\.6/,
    );
  });

  it('refuses input it cannot take with INVALID_INPUT, and a format change mid-stream', async () => {
    const node = createNode('SileroVAD');
    await node.initialize!();
    const tooSlow = createAudioFrame({ sampleRate: 4000, channels: 1, samples: new Float32Array(400) });
    await expect(node.process!(tooSlow)).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
      message: expect.stringContaining('8000 to 192000 Hz'),
    });
    await node.process!(createAudioFrame({ sampleRate: 16_000, channels: 1, samples: new Float32Array(1600) }));
    const changed = createAudioFrame({ sampleRate: 48_000, channels: 1, samples: new Float32Array(4800) });
    await expect(node.process!(changed)).rejects.toMatchObject({ code: ErrorCode.InvalidInput, message: expect.stringContaining('cannot change') });
  });

  it('fails with MODEL_LOAD_FAILED naming the file when the weights are not a model', async () => {
    const path = join(tmpdir(), `not-a-model-${process.pid}.onnx`);
    writeFileSync(path, 'these bytes are not an ONNX model');
    await expect(loadSileroVad(path)).rejects.toMatchObject({
      code: ErrorCode.ModelLoadFailed,
      message: expect.stringMatching(/"silero-vad" model \(.*not-a-model-\d+\.onnx\) is not a valid ONNX model/),
    });
    await expect(loadSileroVad('/nonexistent/silero.onnx')).rejects.toMatchObject({
      code: ErrorCode.ModelLoadFailed,
      message: expect.stringContaining('cannot be read'),
    });
  });

  it('says MODEL_UNAVAILABLE, with what to do, where no runtime for the model is registered', async () => {
    await expect(loadAudioModel('no-such-model', 'SomeNode')).rejects.toMatchObject({
      code: ErrorCode.ModelUnavailable,
      message: expect.stringContaining("run SomeNode on the edge (session.node('SomeNode', config)), or in Node call registerModelRuntimes()"),
    });
  });

  it('a node whose model cannot load fails at initialize with the typed error, and a later node is told the same', async () => {
    registerAudioModel('silero-vad', () => loadSileroVad('/nonexistent/silero.onnx'));
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        await expect(createNode('SileroVAD').initialize!()).rejects.toMatchObject({ code: ErrorCode.ModelLoadFailed });
      }
    } finally {
      registerModelRuntimes();
    }
  });
});
