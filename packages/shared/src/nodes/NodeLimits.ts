/**
 * What one node may produce, set by whoever hosts it. The edge passes its frame and message limits, so a
 * built-in refuses an output the transport could never carry before it allocates it (a 16384x16384 Resize
 * of a 1x1 frame would otherwise take 1 GiB). A local pipeline has no transport between its nodes: no limit.
 */
export interface NodeLimits {
  /** Largest video/audio payload of one output frame, in bytes (the edge's maxFrameBytes). */
  readonly maxFrameBytes: number;
  /** Largest estimated size of one output item, such as a batch a node accumulates (the edge's maxMessageBytes). */
  readonly maxItemBytes: number;
}

export const NO_NODE_LIMITS: NodeLimits = Object.freeze({ maxFrameBytes: Infinity, maxItemBytes: Infinity });
