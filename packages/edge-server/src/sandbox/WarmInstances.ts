import { instantiateQuickJS, type QuickJSInstance, type WasmModule } from './quickjsWasm.ts';

/** Memory sizes kept warm at once per worker (the pool's default and the last other size asked for). */
const MAX_SIZES = 2;
/** Instances kept ready per size: a pipeline deploys a few nodes in a row. */
const DEPTH = 2;

/**
 * Fresh QuickJS instances made ahead of time, a few per memory size, so creating a sandbox does not wait for a
 * WASM instantiation (most of a cold one-module create). An instance is handed out once and never comes back:
 * no guest code ever runs in an instance another guest used. Used ones are replaced while the worker has no
 * request in hand (the worker calls `refill` when it gets there), so refilling does not delay a burst of
 * creates. Each kept instance holds its fixed memory (32 MiB at the default sandbox size) while it waits:
 * MAX_SIZES x DEPTH instances per worker at most.
 */
export class WarmInstances {
  private readonly ready = new Map<number, Array<Promise<QuickJSInstance>>>();
  private refillQueued = false;

  constructor(
    private readonly wasmModule: WasmModule,
    /** Whether the worker has no request in hand right now. */
    private readonly idle: () => boolean,
  ) {}

  /** An instance of `pages` WASM pages: a warm one if ready, else made now. */
  take(pages: number): Promise<QuickJSInstance> {
    const queue = this.ready.get(pages);
    const warm = queue?.shift();
    if (queue === undefined) this.keep(pages);
    // A warm instance that failed to come up is replaced by a fresh attempt, whose failure is then the caller's.
    return warm?.catch(() => instantiateQuickJS(this.wasmModule, pages)) ?? instantiateQuickJS(this.wasmModule, pages);
  }

  /**
   * Keeps instances of `pages` ready from now on. The first size kept (the pool's default) stays; any other
   * replaces the last other one.
   */
  keep(pages: number): void {
    if (this.ready.has(pages)) return;
    if (this.ready.size >= MAX_SIZES) this.ready.delete([...this.ready.keys()][MAX_SIZES - 1]!);
    this.ready.set(pages, []);
    this.refill();
  }

  /** Tops the sizes kept up to DEPTH, one instance per turn of the event loop, for as long as the worker is idle. */
  refill(): void {
    if (this.refillQueued) return;
    this.refillQueued = true;
    setImmediate(() => {
      this.refillQueued = false;
      if (!this.idle()) return;
      // One per turn, so a request that arrives meanwhile waits for one instantiation at most.
      for (const [pages, queue] of this.ready) {
        if (queue.length >= DEPTH) continue;
        const instance = instantiateQuickJS(this.wasmModule, pages);
        instance.catch(() => undefined);
        queue.push(instance);
        this.refill();
        return;
      }
    });
  }
}
