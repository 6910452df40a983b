/**
 * A block of audio: interleaved Float32 PCM in [-1, 1].
 * `samples.length` is `sampleCount * channels`.
 */
export interface AudioFrameData {
  readonly kind: 'audio';
  readonly sampleRate: number;
  readonly channels: number;
  /** Start time of the first sample, in milliseconds. */
  readonly timestamp: number;
  readonly samples: Float32Array;
}

export interface AudioFrameInit {
  sampleRate: number;
  channels: number;
  timestamp?: number;
  samples: Float32Array;
}

export function createAudioFrame(init: AudioFrameInit): AudioFrameData {
  const { sampleRate, channels, samples } = init;
  if (!Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new RangeError(`audio sample rate must be a positive number, got ${sampleRate}`);
  }
  if (!Number.isInteger(channels) || channels <= 0) {
    throw new RangeError(`audio channel count must be a positive integer, got ${channels}`);
  }
  if (!(samples instanceof Float32Array)) {
    throw new TypeError('audio samples must be a Float32Array');
  }
  if (samples.length % channels !== 0) {
    throw new RangeError(`${samples.length} interleaved samples do not divide into ${channels} channels`);
  }
  return { kind: 'audio', sampleRate, channels, timestamp: init.timestamp ?? 0, samples };
}

/** Samples per channel. */
export function audioFrameLength(frame: AudioFrameData): number {
  return frame.samples.length / frame.channels;
}

/** Duration in milliseconds. */
export function audioFrameDuration(frame: AudioFrameData): number {
  return (audioFrameLength(frame) / frame.sampleRate) * 1000;
}

export function isAudioFrame(value: unknown): value is AudioFrameData {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'audio';
}
