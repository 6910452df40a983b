/** How long a model took to load, once per thread. */
export interface ModelLoadTiming {
  readonly model: string;
  readonly seconds: number;
  readonly ok: boolean;
}

/** Per-frame run times of one model since the last drain (at most MAX_FRAME_SAMPLES of them). */
export interface ModelFrameTimings {
  readonly model: string;
  /** Frames run, including those whose time was not kept. */
  readonly count: number;
  readonly seconds: readonly number[];
}

/** Model timings a thread gathered since it last reported them; the edge turns them into metrics. */
export interface ModelTimings {
  readonly loads: readonly ModelLoadTiming[];
  readonly frames: readonly ModelFrameTimings[];
}

/**
 * Times kept per model between two drains: a worker drains after every request, so this only bounds what one
 * huge item can accumulate (the histogram then sees a sample of its frames; `count` stays exact).
 */
const MAX_FRAME_SAMPLES = 1024;

const loads: ModelLoadTiming[] = [];
const frames = new Map<string, { count: number; seconds: number[] }>();

export function recordModelLoad(timing: ModelLoadTiming): void {
  loads.push(timing);
}

export function recordModelFrame(model: string, seconds: number): void {
  let entry = frames.get(model);
  if (!entry) {
    entry = { count: 0, seconds: [] };
    frames.set(model, entry);
  }
  entry.count++;
  if (entry.seconds.length < MAX_FRAME_SAMPLES) entry.seconds.push(seconds);
}

/** Everything recorded since the last call, or undefined when nothing was. */
export function drainModelTimings(): ModelTimings | undefined {
  if (loads.length === 0 && frames.size === 0) return undefined;
  const timings: ModelTimings = {
    loads: loads.splice(0),
    frames: [...frames].map(([model, entry]) => ({ model, count: entry.count, seconds: entry.seconds })),
  };
  frames.clear();
  return timings;
}
