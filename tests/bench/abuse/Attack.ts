/** What an attack gets from the attacker process that runs it. */
export interface AttackContext {
  /** The edge's http:// URL. */
  readonly url: string;
  /** Aborted when the attack window ends; attacks stop opening new work then. */
  readonly signal: AbortSignal;
  /** Call once set-up (deploys, connections) is done and the attack proper runs: the window starts then. */
  ready(): void;
  /** Counts an event for the attacker's summary (messages sent, refusals, error codes seen). */
  count(what: string, n?: number): void;
}

/** One attack class of issue 15, run by one tenant from its own process. */
export interface Attack {
  readonly name: string;
  /** One line: what the attacker does. */
  readonly what: string;
  /** Sandboxes the attacker holds at most: their configured memory is part of the edge's memory bound. */
  readonly sandboxes: number;
  /** Connections that send protocol data: each may hold up to maxInflightBytes of partial messages. */
  readonly connections: number;
  /**
   * The attacker keeps its share of the sandbox workers busy with calls that each run up to the call deadline
   * (plus the watchdog's grace when a native builtin ignores the deadline). With as many workers as cores, a
   * victim sharing a worker can wait for one such call: that much is CPU saturation, not unfairness.
   */
  readonly cpuBound?: boolean;
  run(context: AttackContext): Promise<void>;
}
