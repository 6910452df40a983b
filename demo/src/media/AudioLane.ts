import {
  AudioPlayer,
  LiveAudioPump,
  type AudioFrameData,
  type LiveAudioPumpStats,
  type MicrophoneCapture,
  type RemoteNode,
} from '@remotemedia/browser-sdk';
import { isConnectionLoss } from './isConnectionLoss.ts';
import { levelsDb } from './rmsDb.ts';
import { tap } from './tap.ts';

export interface AudioLaneOptions {
  onInput(frame: AudioFrameData, levels: ReturnType<typeof levelsDb>): void;
  /**
   * Everything the node returned for `input` (audio frames and data items such as speech segments), and the
   * first audio frame among them with its levels.
   */
  onOutput(input: AudioFrameData, items: readonly unknown[], audio: { frame: AudioFrameData; levels: ReturnType<typeof levelsDb> } | undefined): void;
  onError(error: unknown): void;
}

/**
 * Microphone -> (remote node) -> meters and, when listening, the speakers. Without a node the microphone
 * is still read so its meter moves. Like the video lane, a new node or microphone means a new pump.
 */
export class AudioLane {
  private readonly options: AudioLaneOptions;
  private mic: MicrophoneCapture | undefined;
  private node: RemoteNode | undefined;
  private pump: LiveAudioPump | undefined;
  private generation = 0;
  private player: AudioPlayer | undefined;
  private readonly retired: LiveAudioPumpStats = LiveAudioPump.emptyStats();

  constructor(options: AudioLaneOptions) {
    this.options = options;
  }

  get nodeName(): string | undefined {
    return this.node?.name;
  }

  setMicrophone(mic: MicrophoneCapture | undefined): void {
    this.mic = mic;
    this.restart();
  }

  async setNode(node: RemoteNode | undefined): Promise<void> {
    const previous = this.node;
    this.node = node;
    this.restart();
    if (previous !== undefined && previous !== node) await previous.dispose().catch(() => undefined);
  }

  /** Plays processed audio on the speakers (call from a click: browsers only start audio after a gesture). */
  async listen(on: boolean): Promise<void> {
    if (on && this.player === undefined) this.player = await AudioPlayer.create({ channels: 1 });
    else if (!on && this.player !== undefined) {
      const player = this.player;
      this.player = undefined;
      await player.close();
    }
  }

  totals(): LiveAudioPumpStats & { underruns: number } {
    const live = this.pump?.stats;
    const sum = { ...this.retired };
    if (live) for (const key of Object.keys(sum) as Array<keyof LiveAudioPumpStats>) sum[key] += live[key];
    return { ...sum, underruns: this.player?.stats().underruns ?? 0 };
  }

  stop(): void {
    this.mic = undefined;
    this.node = undefined;
    this.restart();
    this.listen(false).catch((error: unknown) => this.options.onError(error));
  }

  /** Counts start over (a new Start). */
  resetTotals(): void {
    for (const key of Object.keys(this.retired) as Array<keyof LiveAudioPumpStats>) this.retired[key] = 0;
  }

  private restart(): void {
    const generation = ++this.generation;
    if (this.pump !== undefined) {
      this.pump.stop();
      for (const key of Object.keys(this.retired) as Array<keyof LiveAudioPumpStats>) this.retired[key] += this.pump.stats[key];
      this.pump = undefined;
    }
    const { mic, node } = this;
    if (mic === undefined) return;
    const frames = tap(mic.frames(), (frame) => {
      if (generation === this.generation) this.options.onInput(frame, levelsDb(frame.samples));
    });
    if (node === undefined) {
      void (async () => {
        for await (const _ of frames) if (generation !== this.generation) break;
      })().catch((error: unknown) => this.options.onError(error));
      return;
    }
    const pump = new LiveAudioPump(node, {
      onOutput: (items, input) => {
        if (generation !== this.generation) return;
        const out = items.find((item): item is AudioFrameData => typeof item === 'object' && item !== null && 'samples' in item);
        this.options.onOutput(input, items, out && { frame: out, levels: levelsDb(out.samples) });
        if (out !== undefined) this.player?.write(out);
      },
      onError: (error) => {
        if (generation === this.generation && !isConnectionLoss(error)) this.options.onError(error);
      },
    });
    this.pump = pump;
    pump.run(frames).catch((error: unknown) => this.options.onError(error));
  }
}
