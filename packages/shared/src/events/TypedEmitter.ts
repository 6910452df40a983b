/** An event map: event name -> listener signature. Interfaces with method or property signatures both fit. */
export type EventMap<E> = { [K in keyof E]: (...args: never[]) => void };

export interface TypedEmitterOptions {
  /**
   * Where a listener's exception goes. Default: rethrown on a later tick, so the runtime reports it as
   * uncaught (console, `process.on('uncaughtException')`) while this emit and the other listeners go on.
   */
  onListenerError?: (error: unknown, event: string) => void;
}

interface Subscription {
  readonly listener: (...args: never[]) => void;
}

/**
 * Typed listeners with one error policy: a listener that throws never stops the emit, the emitter or the
 * other listeners; its exception is reported through `onListenerError` (or the runtime's uncaught path).
 * Each `on` is its own subscription: its unsubscribe removes exactly that one, once, however often called.
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly subscriptions = new Map<keyof E, Subscription[]>();
  private readonly onListenerError: ((error: unknown, event: string) => void) | undefined;

  constructor(options: TypedEmitterOptions = {}) {
    this.onListenerError = options.onListenerError;
  }

  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    const subscription: Subscription = { listener };
    const list = this.subscriptions.get(event) ?? [];
    this.subscriptions.set(event, [...list, subscription]);
    return () => {
      const current = this.subscriptions.get(event);
      if (current === undefined || !current.includes(subscription)) return;
      this.subscriptions.set(
        event,
        current.filter((s) => s !== subscription),
      );
    };
  }

  listenerCount(event: keyof E): number {
    return this.subscriptions.get(event)?.length ?? 0;
  }

  /** Calls the listeners subscribed when the emit starts, in subscription order. */
  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    // Lists are replaced, never mutated, so (un)subscribing from inside a listener does not disturb this loop.
    for (const { listener } of this.subscriptions.get(event) ?? []) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (error) {
        this.report(error, String(event));
      }
    }
  }

  private report(error: unknown, event: string): void {
    const report = this.onListenerError;
    if (report === undefined) {
      queueMicrotask(() => {
        throw error;
      });
      return;
    }
    try {
      report(error, event);
    } catch (reportFailure) {
      // The reporter itself failed: its failure takes the runtime's uncaught path rather than vanish.
      queueMicrotask(() => {
        throw reportFailure;
      });
    }
  }
}
