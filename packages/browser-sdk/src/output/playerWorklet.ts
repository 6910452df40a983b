/** Name the player processor registers under. */
export const PLAYER_PROCESSOR = 'remotemedia-player';

/** What the player processor reports to the page, about ten times a second. */
export interface PlayerReport {
  /** Samples per channel waiting to be played. */
  buffered: number;
  /** Samples per channel played so far (silence from underruns not included). */
  played: number;
  /** Times the buffer ran dry while playing. */
  underruns: number;
  /** Samples per channel thrown away because the buffer was full (the producer ran ahead). */
  overflowed: number;
}

/**
 * Runs on the audio thread: a ring buffer per channel, filled by interleaved chunks from the page. It waits
 * for `prebuffer` samples before playing (a small jitter buffer) and again after each underrun, and when the
 * producer runs ahead it drops the oldest samples (counted) so latency stays bounded.
 */
export const PLAYER_WORKLET_SOURCE = `
class RemoteMediaPlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    this.channels = o.channels;
    this.capacity = o.capacity;
    this.prebuffer = o.prebuffer;
    this.ring = [];
    for (let c = 0; c < this.channels; c++) this.ring.push(new Float32Array(this.capacity));
    this.read = 0;
    this.size = 0;
    this.playing = false;
    this.played = 0;
    this.underruns = 0;
    this.overflowed = 0;
    this.sinceReport = 0;
    this.port.onmessage = (event) => this.write(event.data);
  }

  write(samples) {
    const channels = this.channels;
    const frames = samples.length / channels;
    for (let f = 0; f < frames; f++) {
      if (this.size === this.capacity) {
        this.read = (this.read + 1) % this.capacity;
        this.size--;
        this.overflowed++;
      }
      const at = (this.read + this.size) % this.capacity;
      for (let c = 0; c < channels; c++) this.ring[c][at] = samples[f * channels + c];
      this.size++;
    }
  }

  process(inputs, outputs) {
    const output = outputs[0];
    const frames = output[0].length;
    if (!this.playing && this.size >= this.prebuffer) this.playing = true;
    if (this.playing) {
      const n = Math.min(frames, this.size);
      for (let c = 0; c < output.length; c++) {
        const ring = this.ring[Math.min(c, this.channels - 1)];
        const out = output[c];
        for (let f = 0; f < n; f++) out[f] = ring[(this.read + f) % this.capacity];
      }
      this.read = (this.read + n) % this.capacity;
      this.size -= n;
      this.played += n;
      if (n < frames) {
        this.underruns++;
        this.playing = false;
      }
    }
    this.sinceReport += frames;
    if (this.sinceReport >= sampleRate / 10) {
      this.sinceReport = 0;
      this.port.postMessage({ buffered: this.size, played: this.played, underruns: this.underruns, overflowed: this.overflowed });
    }
    return true;
  }
}
registerProcessor(${JSON.stringify('remotemedia-player')}, RemoteMediaPlayer);
`;
