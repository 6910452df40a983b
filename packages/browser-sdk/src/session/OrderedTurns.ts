/** One caller's place in a key's order: `ready` once every earlier turn ended; `end` must be called, always. */
export interface Turn {
  ready: Promise<void>;
  end(): void;
}

/**
 * Turns per key in the order they were taken: a frame for a node may leave (or be handed back) only after the
 * frame taken before it did, whatever order their asynchronous work (compressing, decompressing) finishes in.
 */
export class OrderedTurns {
  private readonly last = new Map<string, Promise<void>>();

  take(key: string): Turn {
    const ready = this.last.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.last.set(key, mine);
    return {
      ready,
      end: () => {
        release();
        // The newest turn ended: nothing waits on it, so the key holds nothing.
        if (this.last.get(key) === mine) this.last.delete(key);
      },
    };
  }
}
