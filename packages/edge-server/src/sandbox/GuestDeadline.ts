/**
 * Budget for evaluating the trusted prelude. Kept apart from the user's call limit: the first instance in a cold
 * worker runs it while V8 is still compiling the WASM code, which took over 300 ms on a 2-core machine.
 */
export const PRELUDE_BUDGET_MS = 2000;

/** Extra guest time for describing an error or draining the console after an operation's own budget is spent. */
export const HOUSEKEEPING_MS = 100;

/**
 * The time limit of what a guest runs now, consulted by QuickJS's interrupt handler. `interrupted` records that
 * the handler fired: guest code may have been cut off without an exception of its own.
 */
export class GuestDeadline {
  private at = 0;
  /** Budget of the operation running now, for the timeout message. */
  budgetMs = 0;
  interrupted = false;

  /** @param ignoreInterrupts test fault: never interrupt (a guest stuck where QuickJS does not look). */
  constructor(private readonly ignoreInterrupts: boolean) {}

  /** A fresh deadline for an operation. */
  start(budgetMs: number): void {
    this.at = Date.now() + budgetMs;
    this.budgetMs = budgetMs;
    this.interrupted = false;
  }

  /** The interrupt handler: true, and remembered, once the deadline has passed. */
  readonly shouldInterrupt = (): boolean => {
    if (this.ignoreInterrupts) return false;
    if (Date.now() > this.at) {
      this.interrupted = true;
      return true;
    }
    return false;
  };

  /**
   * Runs `fn` under a short deadline of its own (reading an error or the console after the operation's budget
   * may be spent), then puts the operation's deadline and interrupted flag back. Inside `fn`, `interrupted`
   * says whether the housekeeping itself ran out of time.
   */
  housekeeping<T>(fn: () => T): T {
    const { at, interrupted } = this;
    this.at = Date.now() + HOUSEKEEPING_MS;
    this.interrupted = false;
    try {
      return fn();
    } finally {
      this.at = at;
      this.interrupted = interrupted;
    }
  }
}
