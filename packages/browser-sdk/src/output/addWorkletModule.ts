const loaded = new WeakMap<BaseAudioContext, Map<string, Promise<void>>>();

/**
 * Adds an AudioWorklet module given as source text, once per context. The source travels as a Blob URL so
 * the SDK works from one file (ESM or the script-tag build) on any origin, with no worklet file to host.
 */
export function addWorkletModule(context: BaseAudioContext, source: string): Promise<void> {
  let modules = loaded.get(context);
  if (modules === undefined) {
    modules = new Map();
    loaded.set(context, modules);
  }
  let pending = modules.get(source);
  if (pending === undefined) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    pending = context.audioWorklet.addModule(url).finally(() => URL.revokeObjectURL(url));
    modules.set(source, pending);
  }
  return pending;
}
