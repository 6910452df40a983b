import { createAudioFrame, type AudioFrameData } from '@remotemedia/shared';

/**
 * Cuts audio into blocks of exactly `size` samples per channel. Each input gives none, one or several blocks;
 * what is left over waits for the next input, and `flush` emits it when the stream ends.
 */
export class AudioBlocks {
  private pending = new Float32Array(0);
  private sampleRate = 48_000;
  private channels = 1;
  private nextTimestamp = 0;

  constructor(private readonly size: number) {}

  *process(frame: AudioFrameData): Generator<AudioFrameData> {
    if (this.pending.length === 0) this.nextTimestamp = frame.timestamp;
    this.sampleRate = frame.sampleRate;
    this.channels = frame.channels;
    const joined = new Float32Array(this.pending.length + frame.samples.length);
    joined.set(this.pending);
    joined.set(frame.samples, this.pending.length);
    const step = this.size * frame.channels; // interleaved: one value per channel per instant
    let start = 0;
    for (; start + step <= joined.length; start += step) yield this.block(joined.slice(start, start + step));
    this.pending = joined.slice(start);
  }

  *flush(): Generator<AudioFrameData> {
    if (this.pending.length > 0) yield this.block(this.pending);
    this.pending = new Float32Array(0);
  }

  private block(samples: Float32Array): AudioFrameData {
    const frame = createAudioFrame({ sampleRate: this.sampleRate, channels: this.channels, timestamp: this.nextTimestamp, samples });
    this.nextTimestamp += (samples.length / this.channels / this.sampleRate) * 1000;
    return frame;
  }
}
