import type { AudioModel, AudioModelLoader, AudioModelStream } from '@remotemedia/shared';
import { recordModelFrame, recordModelLoad } from './ModelTimings.ts';

/** `loader` with its load time, and every frame its streams run, recorded into ModelTimings. */
export function timedLoader(name: string, loader: AudioModelLoader): AudioModelLoader {
  return async () => {
    const started = performance.now();
    let model: AudioModel;
    try {
      model = await loader();
    } catch (error) {
      recordModelLoad({ model: name, seconds: (performance.now() - started) / 1000, ok: false });
      throw error;
    }
    recordModelLoad({ model: name, seconds: (performance.now() - started) / 1000, ok: true });
    return {
      name: model.name,
      sampleRate: model.sampleRate,
      frameSamples: model.frameSamples,
      delaySamples: model.delaySamples,
      open: (): AudioModelStream => {
        const stream = model.open();
        return {
          run: async (frame) => {
            const begun = performance.now();
            const probability = await stream.run(frame);
            recordModelFrame(name, (performance.now() - begun) / 1000);
            return probability;
          },
          close: () => stream.close(),
        };
      },
    };
  };
}
