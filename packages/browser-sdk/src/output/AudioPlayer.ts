import { ErrorCode, RemoteMediaError, Resampler, type AudioFrameData } from '@remotemedia/shared';
import { mixChannels } from '../capture/mixChannels.ts';
import { addWorkletModule } from './addWorkletModule.ts';
import { PLAYER_PROCESSOR, PLAYER_WORKLET_SOURCE, type PlayerReport } from './playerWorklet.ts';

export interface AudioPlayerOptions {
  /** Context to play in; default a new one at `sampleRate` (closed with the player). */
  context?: AudioContext;
  /** Rate of the context the player creates (default 48000); frames at other rates are resampled. */
  sampleRate?: number;
  /** Channels played (default 1); frames with other counts are mixed to it. */
  channels?: number;
  /** Where the sound goes (default the speakers: `context.destination`). */
  destination?: AudioNode;
  /**
   * Audio held before playing starts, and again after an underrun (default 60 ms): enough to ride out
   * network jitter of a few frames, little enough not to be heard as delay.
   */
  prebufferMs?: number;
  /** Most audio held; beyond it the oldest is dropped and counted (default 500 ms). Bounds latency. */
  capacityMs?: number;
}

export interface AudioPlayerStats extends PlayerReport {
  /** Frames handed to `write`. */
  framesWritten: number;
  /** `buffered` in milliseconds. */
  bufferedMs: number;
}

/**
 * Plays processed audio frames through an AudioWorklet ring buffer: `write` as frames come back from the
 * edge, and the audio thread plays them without gaps while they keep up. Underruns (the edge fell behind)
 * and overflows (audio arrived faster than real time) are counted in `stats()`, never silent.
 */
export class AudioPlayer {
  readonly context: AudioContext;
  readonly channels: number;
  private readonly node: AudioWorkletNode;
  private readonly ownsContext: boolean;
  private readonly resamplers = new Map<number, Resampler>();
  private report: PlayerReport = { buffered: 0, played: 0, underruns: 0, overflowed: 0 };
  private framesWritten = 0;
  private closed = false;

  private constructor(context: AudioContext, node: AudioWorkletNode, channels: number, ownsContext: boolean) {
    this.context = context;
    this.node = node;
    this.channels = channels;
    this.ownsContext = ownsContext;
    node.port.onmessage = (event: MessageEvent<PlayerReport>) => {
      this.report = event.data;
    };
  }

  static async create(options: AudioPlayerOptions = {}): Promise<AudioPlayer> {
    const channels = options.channels ?? 1;
    if (!Number.isInteger(channels) || channels < 1 || channels > 32)
      throw new RemoteMediaError(ErrorCode.InvalidInput, `channels must be an integer 1-32, got ${channels}`);
    const context = options.context ?? new AudioContext({ sampleRate: options.sampleRate ?? 48_000 });
    try {
      await addWorkletModule(context, PLAYER_WORKLET_SOURCE);
      const rate = context.sampleRate;
      const node = new AudioWorkletNode(context, PLAYER_PROCESSOR, {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [channels],
        processorOptions: {
          channels,
          capacity: Math.round((rate * (options.capacityMs ?? 500)) / 1000),
          prebuffer: Math.round((rate * (options.prebufferMs ?? 60)) / 1000),
        },
      });
      node.connect(options.destination ?? context.destination);
      // Autoplay policy: a context made outside a user gesture starts suspended; resume is a no-op otherwise.
      void context.resume().catch(() => undefined);
      return new AudioPlayer(context, node, channels, options.context === undefined);
    } catch (error) {
      if (options.context === undefined) await context.close().catch(() => undefined);
      throw error;
    }
  }

  /** Queues a frame for playback. Resampled and remixed to the player's rate and channels when they differ. */
  write(frame: AudioFrameData): void {
    if (this.closed) throw new RemoteMediaError(ErrorCode.Disposed, 'the audio player is closed');
    this.framesWritten++;
    let samples = mixChannels(frame.samples, frame.channels, this.channels);
    if (frame.sampleRate !== this.context.sampleRate) {
      let resampler = this.resamplers.get(frame.sampleRate);
      if (resampler === undefined) {
        resampler = new Resampler(frame.sampleRate, this.context.sampleRate, this.channels);
        this.resamplers.set(frame.sampleRate, resampler);
      }
      samples = resampler.push(samples);
    } else if (samples === frame.samples) {
      // Transferring would detach the caller's frame: send a copy instead.
      samples = samples.slice();
    }
    this.node.port.postMessage(samples, [samples.buffer]);
  }

  stats(): AudioPlayerStats {
    return { ...this.report, framesWritten: this.framesWritten, bufferedMs: (this.report.buffered / this.context.sampleRate) * 1000 };
  }

  /** Stops playback and frees the worklet (and the context, when the player made it). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.node.port.onmessage = null;
    this.node.disconnect();
    if (this.ownsContext) await this.context.close().catch(() => undefined);
  }
}
