import { ErrorCode, RNNOISE_MODEL, RemoteMediaError, type AudioModel, type AudioModelStream } from '@remotemedia/shared';

/** RNNoise works on 16-bit PCM values; frames arrive in [-1, 1]. */
const PCM_SCALE = 32768;

/**
 * Loads RNNoise from @shiguredo/rnnoise-wasm: its WebAssembly (model built in) is inlined in the module, so
 * nothing is fetched. The build refuses to start outside a browser page or web worker (it checks for `window`
 * or `WorkerGlobalScope`) although it uses nothing of either: `WorkerGlobalScope` is defined only while it
 * instantiates, then removed.
 */
export async function loadRnnoise(): Promise<AudioModel> {
  let rnnoise: import('@shiguredo/rnnoise-wasm').Rnnoise;
  const scope = globalThis as { WorkerGlobalScope?: unknown };
  const hadScope = 'WorkerGlobalScope' in scope;
  try {
    const { Rnnoise } = await import('@shiguredo/rnnoise-wasm');
    if (!hadScope) scope.WorkerGlobalScope = class WorkerGlobalScope {};
    rnnoise = await Rnnoise.load();
  } catch (error) {
    throw new RemoteMediaError(ErrorCode.ModelLoadFailed, `the "${RNNOISE_MODEL.name}" model failed to load: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    if (!hadScope) delete scope.WorkerGlobalScope;
  }
  if (rnnoise.frameSize !== RNNOISE_MODEL.frameSamples) {
    throw new RemoteMediaError(
      ErrorCode.ModelLoadFailed,
      `the "${RNNOISE_MODEL.name}" model takes ${rnnoise.frameSize}-sample frames, expected ${RNNOISE_MODEL.frameSamples}`,
    );
  }
  return {
    name: RNNOISE_MODEL.name,
    sampleRate: RNNOISE_MODEL.sampleRate,
    frameSamples: RNNOISE_MODEL.frameSamples,
    // Its analysis windows overlap by a frame and it looks one frame ahead: cleaned speech comes out two
    // frames late (measured: the cross-correlation of input and output speech peaks at 960 samples).
    delaySamples: 2 * RNNOISE_MODEL.frameSamples,
    open: (): AudioModelStream => {
      const state = rnnoise.createDenoiseState();
      return {
        run: (frame) => {
          for (let i = 0; i < frame.length; i++) frame[i]! *= PCM_SCALE;
          const probability = state.processFrame(frame);
          for (let i = 0; i < frame.length; i++) frame[i]! /= PCM_SCALE;
          return probability;
        },
        close: () => state.destroy(),
      };
    },
  };
}
