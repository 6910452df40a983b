import { createAudioFrame, type AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import type { AudioModel, AudioModelStream, NodeModelInfo } from '../models/AudioModel.ts';
import { loadAudioModel } from '../models/modelRegistry.ts';
import { Resampler } from './Resampler.ts';
import { SampleFifo } from './SampleFifo.ts';
import { expectAudio } from './expectAudio.ts';
import { checkModelInput } from './modelInput.ts';

export const RNNOISE_MODEL: NodeModelInfo = {
  name: 'rnnoise',
  runtime: 'RNNoise compiled to WebAssembly, model built in (the @shiguredo/rnnoise-wasm package)',
  sampleRate: 48_000,
  frameSamples: 480,
  runsOn: ['edge', 'node'],
};

/** The node takes no options. */
export type NoiseSuppressionConfig = Record<string, never>;

/** A stream's format and the state that depends on it, fixed by its first frame. */
interface Stream {
  readonly sampleRate: number;
  readonly channels: number;
  /** Output lags input by this many frames (per channel): see NoiseSuppressionNode. */
  readonly latencyFrames: number;
  readonly up: Resampler | undefined;
  readonly down: Resampler | undefined;
  readonly states: AudioModelStream[];
  /** Interleaved audio at the model's rate, waiting for a whole model frame. */
  readonly toModel: SampleFifo;
  /** Interleaved cleaned audio at the input's rate, waiting to be sent. */
  readonly fromModel: SampleFifo;
  received: number;
  sent: number;
  lastEnd: number;
}

/**
 * Background-noise suppression with RNNoise. The model takes 480-sample frames at 48 kHz, so input at any
 * rate (8 to 192 kHz, any channel count; each channel gets its own model state) is resampled to 48 kHz,
 * re-chunked, cleaned and resampled back. Every input frame gives one output frame of the same rate,
 * channels, length and timestamp, whose audio lags the input by a constant `latencyMs`: 30 ms at 48 kHz
 * (RNNoise's own 20 ms plus up to one model frame of re-chunking), about 32 ms at 16 kHz (plus both
 * resamplers' look-ahead). The stream starts with that much silence, and `flush()` emits the last
 * `latencyMs` of audio, so no sample is lost.
 */
export class NoiseSuppressionNode implements PipelineNode<AudioFrameData, AudioFrameData> {
  readonly name = 'NoiseSuppression';
  private model: AudioModel | undefined;
  private stream: Stream | undefined;
  private latency: number | undefined;

  async initialize(): Promise<void> {
    this.model = await loadAudioModel(RNNOISE_MODEL.name, this.name);
  }

  /** The delay of the output behind the input, once the first frame fixed the rate (undefined before). */
  get latencyMs(): number | undefined {
    return this.latency;
  }

  async process(input: AudioFrameData): Promise<AudioFrameData> {
    const frame = expectAudio(this.name, input);
    checkModelInput(this.name, frame, this.stream);
    const stream = (this.stream ??= this.open(frame));
    stream.received += frame.samples.length / frame.channels;
    stream.lastEnd = frame.timestamp + ((frame.samples.length / frame.channels) * 1000) / frame.sampleRate;
    await this.clean(stream, stream.up ? stream.up.push(frame.samples) : frame.samples);
    const samples = stream.fromModel.take(frame.samples.length);
    stream.sent += frame.samples.length / frame.channels;
    return createAudioFrame({ sampleRate: frame.sampleRate, channels: frame.channels, timestamp: frame.timestamp, samples });
  }

  /** The last `latencyMs` of cleaned audio, dated right after the last input frame. */
  async flush(): Promise<AudioFrameData | undefined> {
    const stream = this.stream;
    if (!stream) return undefined;
    const model = this.requireModel();
    const { channels } = stream;
    const tail = stream.up ? stream.up.flush() : new Float32Array(0);
    const partial = (stream.toModel.length + tail.length) % (model.frameSamples * channels);
    const padding = partial > 0 ? model.frameSamples * channels - partial : 0;
    // Then enough silence to push the model's own delay out of it.
    const drain = Math.ceil(model.delaySamples / model.frameSamples) * model.frameSamples * channels;
    const padded = new Float32Array(tail.length + padding + drain);
    padded.set(tail);
    await this.clean(stream, padded);
    if (stream.down) stream.fromModel.push(stream.down.flush());
    const remaining = stream.received + stream.latencyFrames - stream.sent;
    const samples = stream.fromModel.take(Math.min(remaining * channels, stream.fromModel.length));
    this.close();
    return samples.length > 0 ? createAudioFrame({ sampleRate: stream.sampleRate, channels, timestamp: stream.lastEnd, samples }) : undefined;
  }

  cleanup(): void {
    this.close();
  }

  private open(frame: AudioFrameData): Stream {
    const model = this.requireModel();
    const { sampleRate, channels } = frame;
    const resampled = sampleRate !== model.sampleRate;
    const up = resampled ? new Resampler(sampleRate, model.sampleRate, channels) : undefined;
    const down = resampled ? new Resampler(model.sampleRate, sampleRate, channels) : undefined;
    const ratio = sampleRate / model.sampleRate;
    // Enough that every input frame finds its output waiting: the up-resampler holds back its look-ahead
    // (in input frames), the re-chunker up to one model frame, the down-resampler its look-ahead (at 48 kHz).
    const chunking = up && down ? up.lookahead + 2 + Math.ceil((model.frameSamples + down.lookahead + 1) * ratio) : model.frameSamples;
    // The model's own delay comes on top: its output is already that late.
    const latencyFrames = chunking + Math.round(model.delaySamples * ratio);
    const fromModel = new SampleFifo();
    fromModel.push(new Float32Array(chunking * channels));
    const states = Array.from({ length: channels }, () => model.open());
    this.latency = (latencyFrames / sampleRate) * 1000;
    return {
      sampleRate,
      channels,
      latencyFrames,
      up,
      down,
      states,
      toModel: new SampleFifo(),
      fromModel,
      received: 0,
      sent: 0,
      lastEnd: frame.timestamp,
    };
  }

  /** Runs every whole model frame waiting (with `samples` appended) and queues the result for output. */
  private async clean(stream: Stream, samples: Float32Array): Promise<void> {
    const size = this.requireModel().frameSamples;
    const { channels, states } = stream;
    stream.toModel.push(samples);
    const channel = new Float32Array(size);
    while (stream.toModel.length >= size * channels) {
      const chunk = stream.toModel.take(size * channels);
      for (let c = 0; c < channels; c++) {
        for (let i = 0; i < size; i++) channel[i] = chunk[i * channels + c]!;
        await states[c]!.run(channel);
        for (let i = 0; i < size; i++) chunk[i * channels + c] = channel[i]!;
      }
      stream.fromModel.push(stream.down ? stream.down.push(chunk) : chunk);
    }
  }

  private close(): void {
    for (const state of this.stream?.states ?? []) state.close();
    this.stream = undefined;
  }

  private requireModel(): AudioModel {
    if (!this.model) throw new Error(`${this.name} was used before initialize()`);
    return this.model;
  }
}

export const noiseSuppressionDefinition = defineBuiltinNode<NoiseSuppressionConfig>({
  name: 'NoiseSuppression',
  description:
    'Removes background noise with RNNoise (48 kHz, 480-sample frames; any input rate is resampled around it). Output keeps the input format and frame sizes, delayed by a constant ~30 ms. Runs on the edge (or in Node with the model runtimes registered).',
  category: 'audio',
  configSchema: { properties: {} },
  example: {},
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  model: RNNOISE_MODEL,
  build: () => new NoiseSuppressionNode(),
});
