/** A stretch of time in ms. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface SegmentScore {
  /** Share of 10 ms frames labelled the same (speech or not) as the reference. */
  readonly frameAccuracy: number;
  /** F1 of the speech frames. */
  readonly speechF1: number;
}

const FRAME_MS = 10;

/** Compares detected speech with the reference over [0, durationMs], frame by frame. */
export function scoreSegments(detected: readonly Span[], reference: readonly Span[], durationMs: number): SegmentScore {
  const frames = Math.floor(durationMs / FRAME_MS);
  const inside = (spans: readonly Span[], t: number): boolean => spans.some((s) => t >= s.start && t < s.end);
  let agree = 0;
  let truePositive = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (let k = 0; k < frames; k++) {
    const t = (k + 0.5) * FRAME_MS;
    const said = inside(detected, t);
    const truth = inside(reference, t);
    if (said === truth) agree++;
    if (said && truth) truePositive++;
    else if (said) falsePositive++;
    else if (truth) falseNegative++;
  }
  const speechF1 = truePositive === 0 ? 0 : (2 * truePositive) / (2 * truePositive + falsePositive + falseNegative);
  return { frameAccuracy: agree / frames, speechF1 };
}
