import type { AudioFrameData } from '@remotemedia/browser-sdk';

/** How much audio time the timeline shows, and how long the analysis keeps what it saw. */
export const ANALYSIS_WINDOW_MS = 10_000;
/** Spans and points kept at most, whatever the frame rate: the page's memory stays bounded. */
const MAX_ENTRIES = 2000;

/** A stretch of audio time in the frames' timebase (ms). */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface LevelPoint {
  t: number;
  rmsDb: number;
  peakDb: number;
}

/** Counts since the analysis was last cleared (the timeline shows only the last window). */
export interface AnalysisTotals {
  speechSegments: number;
  edgeLevels: number;
  clippedFrames: number;
  silentFrames: number;
  /** Frames that carried a `silence` annotation (silent or not): whether silence detection ran at all. */
  silenceChecked: number;
}

/**
 * What audio analysis reported, for the timeline: speech segments (VoiceActivityDetector's
 * `{ type: 'speech-segment', start, end }` items), and the levels, clipping and silence that LevelMeter,
 * ClippingDetector and SilenceDetector attach to each frame. Recognised by the items' shape, not by the
 * node's name, so a user node that emits the same shapes is drawn too. Times are the audio frames' own
 * timestamps, the timebase the detectors report in; the microphone's input levels are kept alongside.
 */
export class AudioAnalysis {
  readonly input: LevelPoint[] = [];
  readonly edgeLevels: LevelPoint[] = [];
  readonly speech: TimeSpan[] = [];
  readonly clipped: TimeSpan[] = [];
  readonly silent: TimeSpan[] = [];
  /** Timestamp of the end of the newest microphone frame: the right edge of the timeline. */
  now = 0;
  /** What the newest frame with a `silence` annotation said. */
  silentNow = false;
  totals: AnalysisTotals = emptyTotals();

  addInput(frame: AudioFrameData, rmsDb: number, peakDb: number): void {
    this.now = Math.max(this.now, frame.timestamp + frameDurationMs(frame));
    keep(this.input, { t: frame.timestamp, rmsDb, peakDb });
    this.prune();
  }

  /** Reads everything a node returned for one frame; returns the speech segments found in it. */
  addOutputs(items: readonly unknown[]): TimeSpan[] {
    const segments: TimeSpan[] = [];
    for (const item of items) {
      if (isSpeechSegment(item)) {
        const span = { start: item.start, end: item.end };
        keep(this.speech, span);
        segments.push(span);
        this.totals.speechSegments++;
        continue;
      }
      if (!isAudioFrame(item)) continue;
      const span = { start: item.timestamp, end: item.timestamp + frameDurationMs(item) };
      const annotated = item as AudioFrameData & { levels?: unknown; clipping?: unknown; silence?: unknown };
      if (isLevels(annotated.levels)) {
        keep(this.edgeLevels, { t: item.timestamp, rmsDb: annotated.levels.rmsDb, peakDb: annotated.levels.peakDb });
        this.totals.edgeLevels++;
      }
      if (isFlag(annotated.clipping, 'clipped') && annotated.clipping.clipped) {
        addSpan(this.clipped, span);
        this.totals.clippedFrames++;
      }
      if (isFlag(annotated.silence, 'silent')) {
        this.totals.silenceChecked++;
        this.silentNow = annotated.silence.silent;
        if (annotated.silence.silent) {
          addSpan(this.silent, span);
          this.totals.silentFrames++;
        }
      }
    }
    return segments;
  }

  clear(): void {
    for (const list of [this.input, this.edgeLevels, this.speech, this.clipped, this.silent]) list.length = 0;
    this.now = 0;
    this.silentNow = false;
    this.totals = emptyTotals();
  }

  private prune(): void {
    const from = this.now - ANALYSIS_WINDOW_MS;
    for (const list of [this.input, this.edgeLevels]) dropWhile(list, (p) => p.t < from);
    for (const list of [this.speech, this.clipped, this.silent]) dropWhile(list, (s) => s.end < from);
  }
}

export function frameDurationMs(frame: AudioFrameData): number {
  return frame.sampleRate > 0 && frame.channels > 0 ? (frame.samples.length / frame.channels / frame.sampleRate) * 1000 : 0;
}

function emptyTotals(): AnalysisTotals {
  return { speechSegments: 0, edgeLevels: 0, clippedFrames: 0, silentFrames: 0, silenceChecked: 0 };
}

function keep<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > MAX_ENTRIES) list.shift();
}

/** Frames follow each other: a flagged frame that starts where the last span ends extends it. */
function addSpan(list: TimeSpan[], span: TimeSpan): void {
  const last = list.at(-1);
  if (last !== undefined && span.start <= last.end + 1 && span.end >= last.end) last.end = span.end;
  else keep(list, span);
}

function dropWhile<T>(list: T[], old: (entry: T) => boolean): void {
  let n = 0;
  while (n < list.length && old(list[n]!)) n++;
  if (n > 0) list.splice(0, n);
}

/** A finished stretch of speech: VoiceActivityDetector's `speech-segment`, or SileroVAD's `speech-end` (which spans it). */
function isSpeechSegment(item: unknown): item is { type: 'speech-segment' | 'speech-end'; start: number; end: number } {
  const value = item as { type?: unknown; start?: unknown; end?: unknown } | null;
  return (
    typeof value === 'object' &&
    value !== null &&
    (value.type === 'speech-segment' || value.type === 'speech-end') &&
    Number.isFinite(value.start) &&
    Number.isFinite(value.end)
  );
}

function isAudioFrame(item: unknown): item is AudioFrameData {
  const value = item as { kind?: unknown; samples?: unknown } | null;
  return typeof value === 'object' && value !== null && value.kind === 'audio' && value.samples instanceof Float32Array;
}

function isLevels(value: unknown): value is { rmsDb: number; peakDb: number } {
  const levels = value as { rmsDb?: unknown; peakDb?: unknown } | null;
  return typeof levels === 'object' && levels !== null && Number.isFinite(levels.rmsDb) && Number.isFinite(levels.peakDb);
}

function isFlag<K extends string>(value: unknown, key: K): value is Record<K, boolean> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'boolean';
}
