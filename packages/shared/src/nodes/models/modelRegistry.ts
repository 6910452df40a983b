import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioModel } from './AudioModel.ts';

/** Loads a model's weights and runtime; throws MODEL_LOAD_FAILED (or any error, which is wrapped into it). */
export type AudioModelLoader = () => Promise<AudioModel>;

// Per thread (each edge built-in worker has its own): models load once there and every node shares them.
const loaders = new Map<string, AudioModelLoader>();
const loaded = new Map<string, Promise<AudioModel>>();

/**
 * Makes `name` loadable in this thread. The catalogue's model nodes are isomorphic, but their runtimes are
 * not: the edge registers them in each built-in worker, a Node process may register them itself.
 */
export function registerAudioModel(name: string, loader: AudioModelLoader): void {
  loaders.set(name, loader);
  loaded.delete(name);
}

/**
 * The model `name`, loaded on first use and shared afterwards. A failed load is remembered (the same files
 * would fail again): MODEL_LOAD_FAILED each time.
 */
export function loadAudioModel(name: string, nodeName: string): Promise<AudioModel> {
  const loader = loaders.get(name);
  if (!loader) {
    return Promise.reject(
      new RemoteMediaError(
        ErrorCode.ModelUnavailable,
        `${nodeName} needs the "${name}" model, which has no runtime in this process: run ${nodeName} on the edge (session.node('${nodeName}', config)), or in Node call registerModelRuntimes() from '@remotemedia/edge-server/models' first`,
      ),
    );
  }
  let model = loaded.get(name);
  if (!model) {
    model = load(name, loader);
    loaded.set(name, model);
  }
  return model;
}

async function load(name: string, loader: AudioModelLoader): Promise<AudioModel> {
  try {
    return await loader();
  } catch (error) {
    if (error instanceof RemoteMediaError && error.code === ErrorCode.ModelLoadFailed) throw error;
    throw new RemoteMediaError(ErrorCode.ModelLoadFailed, `the "${name}" model failed to load: ${(error as Error).message}`, { cause: error });
  }
}
