/**
 * Protocol limits in one place, each with why it has the value it has. The edge can tighten any of
 * them by configuration; these are the defaults both sides assume.
 */
export interface ProtocolLimits {
  /** Largest data-channel / WebSocket message we send. werift enforces 64 KiB (its default max-message-size). */
  maxChunkBytes: number;
  /** Largest reassembled protocol message: a 1080p RGBA frame (8.3 MB) fits with room for a package. */
  maxMessageBytes: number;
  /** Largest single video/audio frame payload. 1920x1080 RGBA. */
  maxFrameBytes: number;
  /** Partially received messages one connection may hold at once; bounds reassembly memory. */
  maxInflightMessages: number;
  /** Bytes of partially received messages one connection may hold at once. */
  maxInflightBytes: number;
  /** Deepest nesting a decoded message may have (msgpackr has no depth limit of its own). */
  maxDepth: number;
  /** Most elements (array items + map entries) a decoded message may declare in total. */
  maxElements: number;
}

export const DEFAULT_LIMITS: Readonly<ProtocolLimits> = Object.freeze({
  maxChunkBytes: 64 * 1024,
  maxMessageBytes: 16 * 1024 * 1024,
  maxFrameBytes: 1920 * 1080 * 4,
  maxInflightMessages: 16,
  maxInflightBytes: 48 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 1_000_000,
});
