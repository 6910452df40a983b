/** Beyond this an estimate is only "a very long time", and a bounded width keeps the progress line in place. */
const LONGEST_MINUTES = 100 * 60;

/**
 * A time left as people read it: `45 s`, `2 min 05 s`, `1 h 02 min`, at most 11 characters. Rounded up, so it
 * never promises too soon.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes >= LONGEST_MINUTES) return 'over 99 h';
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
