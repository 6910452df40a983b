/**
 * Bounds on an instance's serialized state (superjson: `json` plus `meta` annotations), checked before it is
 * decoded. superjson's decoding is quadratic in the wrong shapes and BigInt parsing is quadratic in digits
 * (measured: a 789 KB state with one annotation per element of a Set took 13.6 s; a 6M-digit BigInt 9 s), so
 * each bound caps one way to make the decoder do unbounded work.
 */
export interface StateLimits {
  /** Estimated bytes of `json` plus `meta` (the edge's maxStateBytes). */
  readonly maxBytes: number;
  /** Annotated paths: type annotations plus shared-reference paths. */
  readonly maxPaths: number;
  /** Characters of one BigInt (10,000 parse in ~0.2 ms; parsing time grows with the square). */
  readonly maxBigIntDigits: number;
  /** Nesting of `json` and `meta` (superjson copies and annotates recursively). */
  readonly maxDepth: number;
  /**
   * Steps to rewire shared references: superjson walks each reference path from the root, and a step into a
   * Map or Set iterates it, so each path costs about its length times the largest Map or Set.
   */
  readonly maxReferenceWork: number;
}

export const DEFAULT_STATE_LIMITS: StateLimits = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxPaths: 100_000,
  maxBigIntDigits: 10_000,
  maxDepth: 256,
  maxReferenceWork: 4_000_000,
});
