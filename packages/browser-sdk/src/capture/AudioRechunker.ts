/**
 * Regroups interleaved samples into blocks of a fixed length. Sources deliver what they like (WebCodecs 10 ms,
 * an AudioWorklet 128 frames); nodes and the wire get the block size the caller chose.
 */
export class AudioRechunker {
  private readonly channels: number;
  private readonly blockSamples: number;
  private pending: Float32Array;
  private filled = 0;

  constructor(channels: number, framesPerBlock: number) {
    if (!Number.isInteger(framesPerBlock) || framesPerBlock < 1)
      throw new RangeError(`frames per block must be a positive integer, got ${framesPerBlock}`);
    this.channels = channels;
    this.blockSamples = framesPerBlock * channels;
    this.pending = new Float32Array(this.blockSamples);
  }

  /** Appends interleaved samples; returns every block completed by them. */
  push(samples: Float32Array): Float32Array[] {
    if (samples.length % this.channels !== 0) throw new RangeError(`${samples.length} samples do not divide into ${this.channels} channels`);
    const blocks: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.blockSamples - this.filled, samples.length - offset);
      this.pending.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.blockSamples) {
        blocks.push(this.pending);
        this.pending = new Float32Array(this.blockSamples);
        this.filled = 0;
      }
    }
    return blocks;
  }
}
