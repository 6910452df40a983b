/**
 * Milliseconds on the host's monotonic clock (`performance.now()`), or the wall clock where a runtime has no
 * `performance` (a bare sandbox): the stream nodes measure intervals, never absolute times.
 */
export function monotonicNow(): number {
  const performance = (globalThis as { performance?: { now(): number } }).performance;
  return performance ? performance.now() : Date.now();
}
