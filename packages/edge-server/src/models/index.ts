// @remotemedia/edge-server/models: the runtimes behind the catalogue's model nodes, for running them in Node.
export { registerModelRuntimes } from './registerModelRuntimes.ts';
export { loadSileroVad, sileroVadModelPath } from './sileroVadModel.ts';
export { loadRnnoise } from './rnnoiseModel.ts';
