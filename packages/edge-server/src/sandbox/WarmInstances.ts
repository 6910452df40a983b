import { instantiateQuickJS, type QuickJSInstance, type WasmModule } from './quickjsWasm.ts';

/** Memory sizes kept warm at once per worker (the pool's default and the last other size asked for). */
const MAX_SIZES = 2;

/**
 * Fresh QuickJS instances made ahead of time, one per memory size, so creating a sandbox does not wait for a
 * WASM instantiation (most of a cold one-module create). An instance is handed out once and never comes back:
 * no guest code ever runs in an instance another guest used. Each kept instance holds its fixed memory (32 MiB
 * at the default sandbox size) for as long as it waits, up to MAX_SIZES per worker.
 */
export class WarmInstances {
  private readonly ready = new Map<number, Promise<QuickJSInstance>>();

  constructor(private readonly wasmModule: WasmModule) {}

  /** An instance of `pages` WASM pages, warm if one is ready, and another one made ready after this turn. */
  take(pages: number): Promise<QuickJSInstance> {
    const warm = this.ready.get(pages);
    this.ready.delete(pages);
    setImmediate(() => this.prepare(pages));
    // A warm instance that failed to come up is replaced by a fresh attempt, whose failure is then the caller's.
    return warm?.catch(() => instantiateQuickJS(this.wasmModule, pages)) ?? instantiateQuickJS(this.wasmModule, pages);
  }

  /** Makes an instance of `pages` ready, unless one is; the size asked for least recently is dropped first. */
  prepare(pages: number): void {
    if (this.ready.has(pages)) return;
    if (this.ready.size >= MAX_SIZES) this.ready.delete(this.ready.keys().next().value!);
    const instance = instantiateQuickJS(this.wasmModule, pages);
    instance.catch(() => undefined);
    this.ready.set(pages, instance);
  }
}
