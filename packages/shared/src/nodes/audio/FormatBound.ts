import type { AudioFrameData } from '../../frames/AudioFrameData.ts';

/**
 * Per-stream state of an audio node (filter memories, envelopes, windows) that only makes sense for one sample
 * rate and channel count: it is made on the first frame and made again when either changes, since carrying it
 * across would mix two signals' histories.
 */
export class FormatBound<T> {
  private key: string | undefined;
  private value: T | undefined;

  constructor(private readonly make: (sampleRate: number, channels: number) => T) {}

  for(frame: AudioFrameData): T {
    const key = `${frame.sampleRate}/${frame.channels}`;
    if (key !== this.key || this.value === undefined) {
      this.key = key;
      this.value = this.make(frame.sampleRate, frame.channels);
    }
    return this.value;
  }
}
