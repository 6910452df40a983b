/**
 * What a full input queue does with a new item.
 * - `block`: the producer waits until the node takes an item (backpressure; nothing is lost).
 * - `drop-oldest`: the oldest queued item is discarded and counted, so live media stays current.
 */
export type QueuePolicy = 'block' | 'drop-oldest';

export const QUEUE_POLICIES: readonly QueuePolicy[] = ['block', 'drop-oldest'];

export interface QueueOptions {
  /** Items that may wait in front of a node. */
  capacity: number;
  policy: QueuePolicy;
}

/**
 * Eight items absorb short scheduling jitter (a few frames of video, ~80 ms of 10 ms audio blocks)
 * without letting latency grow; `block` because losing data must be asked for explicitly.
 */
export const DEFAULT_QUEUE_OPTIONS: Readonly<QueueOptions> = Object.freeze({ capacity: 8, policy: 'block' });

/** Largest capacity accepted; a queue this deep already means seconds of latency for media. */
export const MAX_QUEUE_CAPACITY = 4096;
