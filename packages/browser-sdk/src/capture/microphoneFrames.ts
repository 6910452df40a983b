import { ErrorCode, RemoteMediaError, createAudioFrame, type AudioFrameData } from '@remotemedia/shared';
import { addWorkletModule } from '../output/addWorkletModule.ts';
import { AudioRechunker } from './AudioRechunker.ts';
import { CAPTURE_PROCESSOR, CAPTURE_WORKLET_SOURCE } from './captureWorklet.ts';
import { FrameQueue } from './FrameQueue.ts';
import { mixChannels } from './mixChannels.ts';
import { createTrackProcessor } from './trackProcessor.ts';

export interface MicrophoneFramesOptions {
  /** Length of each frame in milliseconds (default 10, what WebCodecs delivers). */
  frameMs?: number;
  /** Channels of the frames (default: the track's); mono sources are copied out, others averaged to mono. */
  channels?: number;
  /** Stop after this many frames (default: until the track ends or the loop breaks). */
  maxFrames?: number;
  /**
   * `auto` (default): MediaStreamTrackProcessor where the browser has it, else an AudioWorklet.
   * `audio-worklet`: always the AudioWorklet path (the one Firefox and Safari take).
   */
  method?: 'auto' | 'track-processor' | 'audio-worklet';
  /** Frames held for a consumer that falls behind before the oldest is dropped (default 50: half a second). */
  maxBufferedFrames?: number;
  /** Told the running total whenever capture drops a frame because the consumer fell behind. */
  onDropped?: (total: number) => void;
}

/**
 * Frames of a microphone track as interleaved Float32 AudioFrameData at the track's sample rate. Each
 * AudioData is closed as soon as it is copied. Capture with echoCancellation, noiseSuppression and
 * autoGainControl off when levels matter (see `openMicrophone`): browsers turn them on by default.
 */
export async function* microphoneFrames(track: MediaStreamTrack, options: MicrophoneFramesOptions = {}): AsyncGenerator<AudioFrameData> {
  const method = options.method ?? 'auto';
  // Audio is consumed at once (no network wait in this loop), so a short buffer only absorbs jank; a
  // processor that overflowed would drop chunks without telling anyone.
  const processor = method === 'audio-worklet' ? undefined : createTrackProcessor<AudioData>(track, 50);
  if (processor === undefined && method === 'track-processor') {
    throw new RemoteMediaError(ErrorCode.InvalidInput, 'method "track-processor" was asked for, but this browser has no MediaStreamTrackProcessor');
  }
  if (processor !== undefined) yield* fromTrackProcessor(processor.readable, options);
  else yield* fromAudioWorklet(track, options);
}

/** Blocks of `frameMs` from a stream of raw chunks, with timestamps counted in samples so they never drift. */
class BlockMaker {
  private rechunker: AudioRechunker | undefined;
  private sampleRate = 0;
  private sourceChannels = 0;
  private channels = 0;
  private startMs = 0;
  private produced = 0;
  private readonly options: MicrophoneFramesOptions;

  constructor(options: MicrophoneFramesOptions) {
    this.options = options;
  }

  push(samples: Float32Array, sampleRate: number, channels: number, timestampMs: number): AudioFrameData[] {
    if (this.rechunker === undefined || sampleRate !== this.sampleRate || channels !== this.sourceChannels) {
      this.sampleRate = sampleRate;
      this.sourceChannels = channels;
      this.channels = this.options.channels ?? channels;
      this.rechunker = new AudioRechunker(this.channels, Math.max(1, Math.round((sampleRate * (this.options.frameMs ?? 10)) / 1000)));
      this.startMs = timestampMs;
      this.produced = 0;
    }
    return this.rechunker.push(mixChannels(samples, channels, this.channels)).map((block) => {
      const frame = createAudioFrame({
        sampleRate: this.sampleRate,
        channels: this.channels,
        timestamp: this.startMs + (this.produced / this.sampleRate) * 1000,
        samples: block,
      });
      this.produced += block.length / this.channels;
      return frame;
    });
  }
}

async function* fromTrackProcessor(readable: ReadableStream<AudioData>, options: MicrophoneFramesOptions): AsyncGenerator<AudioFrameData> {
  const limit = options.maxFrames ?? Number.POSITIVE_INFINITY;
  const blocks = new BlockMaker(options);
  const reader = readable.getReader();
  let count = 0;
  try {
    while (count < limit) {
      const { value: data, done } = await reader.read();
      if (done) return;
      let frames: AudioFrameData[];
      try {
        frames = blocks.push(interleave(data), data.sampleRate, data.numberOfChannels, data.timestamp / 1000);
      } finally {
        data.close();
      }
      for (const frame of frames) {
        if (count >= limit) return;
        count++;
        yield frame;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** AudioData (any sample format; Chromium's microphone gives f32-planar) as interleaved Float32. */
function interleave(data: AudioData): Float32Array {
  const channels = data.numberOfChannels;
  const frames = data.numberOfFrames;
  if (channels === 1 || data.format === 'f32') {
    const out = new Float32Array(frames * channels);
    data.copyTo(out, { planeIndex: 0, format: data.format === 'f32' ? 'f32' : 'f32-planar' });
    return out;
  }
  const plane = new Float32Array(frames);
  const out = new Float32Array(frames * channels);
  for (let c = 0; c < channels; c++) {
    data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
    for (let f = 0; f < frames; f++) out[f * channels + c] = plane[f]!;
  }
  return out;
}

async function* fromAudioWorklet(track: MediaStreamTrack, options: MicrophoneFramesOptions): AsyncGenerator<AudioFrameData> {
  const limit = options.maxFrames ?? Number.POSITIVE_INFINITY;
  const settings = track.getSettings();
  // The context runs at the track's rate so nothing is resampled on the way in.
  const context = new AudioContext(settings.sampleRate ? { sampleRate: settings.sampleRate } : {});
  const queue = new FrameQueue<AudioFrameData>(options.maxBufferedFrames ?? 50, options.onDropped);
  const blocks = new BlockMaker(options);
  const channels = settings.channelCount ?? 1;
  let source: MediaStreamAudioSourceNode | undefined;
  let capture: AudioWorkletNode | undefined;
  let sink: GainNode | undefined;
  const onEnded = (): void => queue.end();
  try {
    await addWorkletModule(context, CAPTURE_WORKLET_SOURCE);
    source = context.createMediaStreamSource(new MediaStream([track]));
    capture = new AudioWorkletNode(context, CAPTURE_PROCESSOR, { channelCount: channels, channelCountMode: 'explicit', numberOfOutputs: 1 });
    // A silent path to the destination keeps the graph pulling the processor in every browser.
    sink = context.createGain();
    sink.gain.value = 0;
    capture.port.onmessage = (event: MessageEvent<Float32Array>) => {
      const timestampMs = context.currentTime * 1000;
      for (const frame of blocks.push(event.data, context.sampleRate, channels, timestampMs)) queue.push(frame);
    };
    source.connect(capture).connect(sink).connect(context.destination);
    track.addEventListener('ended', onEnded);
    await context.resume();
    let count = 0;
    while (count < limit) {
      const { value, done } = await queue.next();
      if (done) return;
      count++;
      yield value;
    }
  } finally {
    track.removeEventListener('ended', onEnded);
    if (capture !== undefined) capture.port.onmessage = null;
    source?.disconnect();
    capture?.disconnect();
    sink?.disconnect();
    await context.close().catch(() => undefined);
  }
}
