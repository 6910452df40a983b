import type { BoundedQueue } from '../BoundedQueue.ts';
import type { NodeStats } from '../NodeStats.ts';
import type { QueueOptions, QueuePolicy } from '../QueueOptions.ts';

/** One item a graph yields while streaming, with the id of the sink node that produced it. */
export interface GraphOutput {
  readonly node: string;
  readonly item: unknown;
}

/** What `graph.process(item)` and `graph.flush()` return: each sink's outputs by node id (every sink listed). */
export type GraphResult = Record<string, unknown[]>;

/** Counters for one connection of a graph. */
export interface GraphConnectionStats {
  readonly from: string;
  readonly to: string;
  /** Items a `drop-oldest` connection discarded, plus items a zip could not pair. */
  readonly dropped: number;
  readonly queueDepth: number;
  readonly queueCapacity: number;
  readonly queuePolicy: QueuePolicy;
}

export interface GraphStats {
  /** Per node, with `name` the node's name and `index` its position in `add` order. */
  readonly nodes: ReadonlyArray<NodeStats & { readonly id: string }>;
  readonly connections: readonly GraphConnectionStats[];
}

/** A connection as a graph holds it: resolved queue options, counters and its queue while a stream runs. Internal. */
export interface GraphConnectionState {
  readonly from: string;
  readonly to: string;
  readonly queue: QueueOptions;
  dropped: number;
  live: BoundedQueue<unknown> | undefined;
}
