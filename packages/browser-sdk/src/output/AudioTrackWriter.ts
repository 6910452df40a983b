import { ErrorCode, RemoteMediaError, type AudioFrameData } from '@remotemedia/shared';
import { AudioPlayer } from './AudioPlayer.ts';
import { createTrackGenerator } from './trackGenerator.ts';

export interface AudioTrackWriterOptions {
  /**
   * `auto` (default): MediaStreamTrackGenerator where the browser has it, else an AudioWorklet player
   * feeding a MediaStreamAudioDestinationNode. `audio-worklet` forces the second path.
   */
  method?: 'auto' | 'track-generator' | 'audio-worklet';
  /** Sample rate and channels of the worklet path (defaults 48000, 1). */
  sampleRate?: number;
  channels?: number;
}

/** Turns processed audio frames back into a MediaStream audio track (to record or to send into a call). */
export class AudioTrackWriter {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly method: 'track-generator' | 'audio-worklet';
  private readonly writer: WritableStreamDefaultWriter<AudioData> | undefined;
  private readonly player: AudioPlayer | undefined;
  private closed = false;
  /** Frames the generator refused (it errors once its track has ended). */
  failed = 0;

  private constructor(
    stream: MediaStream,
    method: 'track-generator' | 'audio-worklet',
    writer?: WritableStreamDefaultWriter<AudioData>,
    player?: AudioPlayer,
  ) {
    this.stream = stream;
    this.track = stream.getAudioTracks()[0]!;
    this.method = method;
    this.writer = writer;
    this.player = player;
  }

  static async create(options: AudioTrackWriterOptions = {}): Promise<AudioTrackWriter> {
    const method = options.method ?? 'auto';
    const generator = method === 'audio-worklet' ? undefined : createTrackGenerator<AudioData>('audio');
    if (generator === undefined && method === 'track-generator') {
      throw new RemoteMediaError(ErrorCode.InvalidInput, 'method "track-generator" was asked for, but this browser has no MediaStreamTrackGenerator');
    }
    if (generator !== undefined) return new AudioTrackWriter(new MediaStream([generator]), 'track-generator', generator.writable.getWriter());
    const context = new AudioContext({ sampleRate: options.sampleRate ?? 48_000 });
    const destination = context.createMediaStreamDestination();
    // A player given a context leaves it open; this writer made it, so `close()` closes it.
    const player = await AudioPlayer.create({ context, destination, channels: options.channels ?? 1 });
    return new AudioTrackWriter(destination.stream, 'audio-worklet', undefined, player);
  }

  write(frame: AudioFrameData): void {
    if (this.closed) throw new RemoteMediaError(ErrorCode.Disposed, 'the audio track writer is closed');
    if (this.player !== undefined) {
      this.player.write(frame);
      return;
    }
    const data = new AudioData({
      format: 'f32',
      sampleRate: frame.sampleRate,
      numberOfChannels: frame.channels,
      numberOfFrames: frame.samples.length / frame.channels,
      timestamp: Math.round(frame.timestamp * 1000),
      // Frames decoded from the wire or made by capture own plain ArrayBuffers, never shared memory.
      data: frame.samples as Float32Array<ArrayBuffer>,
    });
    this.writer!.write(data)
      .catch(() => {
        this.failed++;
      })
      .finally(() => data.close());
  }

  /** Ends the track and frees what it used. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.track.stop();
    if (this.writer !== undefined) await this.writer.close().catch(() => undefined);
    if (this.player !== undefined) {
      await this.player.close();
      await this.player.context.close().catch(() => undefined);
    }
  }
}
