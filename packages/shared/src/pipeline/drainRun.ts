/** What a streaming run offers its driver: a queue of outputs, the first error, and a way to stop it. */
export interface RunHandle<T> {
  readonly output: { shift(): Promise<{ done: false; value: T } | { done: true }> };
  readonly error: unknown;
  abort(): void;
  detach(): void;
}

/**
 * Yields a run's outputs until it ends, then closes the nodes. A consumer that stops early stops the run and
 * asked for no more results, errors included; otherwise the run's first error (or a cleanup error) is thrown.
 */
export async function* drainRun<T>(run: RunHandle<T>, finished: Promise<void>, shutdown: () => Promise<unknown>): AsyncGenerator<T, void, undefined> {
  let consumerLeft = true;
  try {
    for (;;) {
      const next = await run.output.shift();
      if (next.done) break;
      yield next.value;
    }
    consumerLeft = false;
  } finally {
    if (consumerLeft) run.abort();
    await finished;
    run.detach();
    const cleanupError = await shutdown();
    if (!consumerLeft) {
      const error = run.error ?? cleanupError;
      if (error !== undefined) throw error;
    }
  }
}
