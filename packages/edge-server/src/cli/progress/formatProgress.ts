import { formatDuration } from './formatDuration.ts';

export interface ProgressState {
  readonly done: number;
  readonly total: number;
  /** What is counted, plural: `frames`, `items`. */
  readonly unit: string;
  /** Undefined while there is no estimate yet (and once done). */
  readonly timeLeftMs: number | undefined;
}

/** Narrower than this the bar says nothing a percentage does not; wider only makes it harder to read. */
const MIN_BAR = 10;
const MAX_BAR = 40;
/** The longest time left formatDuration writes (`59 min 59 s`, `99 h 59 min`). */
const WIDEST_DURATION = 11;

/**
 * One terminal line: `[#######-----------]  37%  5550/15000 frames, 9 s left`, at most `columns - 1` wide so
 * the terminal never wraps it (a wrapped line cannot be redrawn in place with \r). The bar's width depends
 * only on the terminal and the total, so it stays put while the text after it changes.
 */
export function renderProgressBar(state: ProgressState, columns: number): string {
  const { done, total, unit, timeLeftMs: left } = state;
  const percent = Math.floor((done * 100) / total);
  const count = `${String(done).padStart(String(total).length)}/${total} ${unit}`;
  const text = `${String(percent).padStart(3)}% ${count}${left === undefined ? '' : `, ${formatDuration(left)} left`}`;
  const widestText = 5 + count.length + 2 + WIDEST_DURATION + 5;
  const room = Math.min(MAX_BAR, columns - 1 - 3 - widestText);
  if (room < MIN_BAR) return text.trimStart().slice(0, Math.max(0, columns - 1));
  const filled = Math.floor((room * done) / total);
  return `[${'#'.repeat(filled)}${'-'.repeat(room - filled)}] ${text}`;
}

/** The same state as a line of a log: `10% (1500/15000 frames), about 20 s left`. */
export function progressLine(state: ProgressState): string {
  const { done, total, unit, timeLeftMs: left } = state;
  return `${Math.floor((done * 100) / total)}% (${done}/${total} ${unit})${left === undefined ? '' : `, about ${formatDuration(left)} left`}`;
}
