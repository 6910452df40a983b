import { RNNOISE_MODEL, SILERO_VAD_MODEL, registerAudioModel } from '@remotemedia/shared';
import { loadRnnoise } from './rnnoiseModel.ts';
import { loadSileroVad } from './sileroVadModel.ts';
import { timedLoader } from './timedLoader.ts';

/**
 * Makes the catalogue's model nodes (SileroVAD, NoiseSuppression) runnable in this thread. The edge calls it
 * in each built-in worker; a Node program calls it once to run those nodes locally. Nothing loads until a node
 * needs its model; each model then loads once per thread and is shared by every node there.
 */
export function registerModelRuntimes(): void {
  registerAudioModel(
    SILERO_VAD_MODEL.name,
    timedLoader(SILERO_VAD_MODEL.name, () => loadSileroVad()),
  );
  registerAudioModel(RNNOISE_MODEL.name, timedLoader(RNNOISE_MODEL.name, loadRnnoise));
}
