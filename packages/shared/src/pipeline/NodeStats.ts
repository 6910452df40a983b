import type { QueuePolicy } from './QueueOptions.ts';

/** Counters for one node of a pipeline, as returned by `pipeline.stats()`. */
export interface NodeStats {
  readonly name: string;
  readonly index: number;
  /** Inputs the node finished processing. */
  readonly processed: number;
  /** Items the node produced (from `process` and `flush`). */
  readonly emitted: number;
  /** Inputs discarded by a `drop-oldest` queue before the node saw them. */
  readonly dropped: number;
  /** Calls of the node that threw (at most one per run: an error ends the pipeline). */
  readonly errors: number;
  /** Items waiting in front of the node right now (0 outside `stream`). */
  readonly queueDepth: number;
  readonly queueCapacity: number;
  readonly queuePolicy: QueuePolicy;
}
