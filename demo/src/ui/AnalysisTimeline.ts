import { ANALYSIS_WINDOW_MS, type AudioAnalysis, type LevelPoint, type TimeSpan } from '../media/AudioAnalysis.ts';
import { fitCanvas } from './fitCanvas.ts';

/** Colours of the timeline's series (AnalysisPanel paints the legend's swatches with them). */
export const TIMELINE_COLOURS = {
  input: '#9ca3af',
  edgeLevel: '#2563eb',
  speech: '#16a34a',
  clipping: '#dc2626',
  silence: '#94a3b8',
} as const;

const GUTTER = 64;
const FLOOR_DB = -60;
/** A 20 ms beep is a fraction of a pixel wide at 10 s per timeline: marks get at least this width to be seen. */
const MIN_MARK_PX = 2;

interface Lane {
  label: string;
  top: number;
  height: number;
}

const LEVEL: Lane = { label: 'Level', top: 4, height: 58 };
const SPEECH: Lane = { label: 'Speech', top: 70, height: 18 };
const CLIPPING: Lane = { label: 'Clipping', top: 94, height: 12 };
const SILENCE: Lane = { label: 'Silence', top: 112, height: 12 };

/** What the last draw put on the canvas, for the probe: a test compares it with the pixels. */
export interface DrawnTimeline {
  speech: TimeSpan[];
  clipped: number;
  silent: number;
}

/**
 * The last ten seconds of audio as lanes on a canvas: the microphone's level (gray) and the level the
 * edge measured (blue), speech segments, clipped frames and silence. Redrawn from the analysis on the
 * stats timer, not per frame.
 */
export class AnalysisTimeline {
  private readonly canvas: HTMLCanvasElement;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
  }

  draw(analysis: AudioAnalysis): DrawnTimeline {
    const drawn: DrawnTimeline = { speech: [], clipped: 0, silent: 0 };
    const fitted = fitCanvas(this.canvas);
    if (fitted === undefined || fitted.width <= GUTTER) return drawn;
    const { g, width, height } = fitted;

    const plotWidth = width - GUTTER;
    const from = analysis.now - ANALYSIS_WINDOW_MS;
    const x = (t: number): number => GUTTER + ((t - from) / ANALYSIS_WINDOW_MS) * plotWidth;

    g.font = '10px system-ui, sans-serif';
    g.textBaseline = 'middle';
    for (const lane of [LEVEL, SPEECH, CLIPPING, SILENCE]) {
      g.fillStyle = '#f3f4f6';
      g.fillRect(GUTTER, lane.top, plotWidth, lane.height);
      g.fillStyle = '#4b5563';
      g.fillText(lane.label, 4, lane.top + lane.height / 2);
    }
    this.levelGrid(g, plotWidth);
    g.fillStyle = '#6b7280';
    g.textBaseline = 'alphabetic';
    g.fillText(`−${ANALYSIS_WINDOW_MS / 1000} s`, GUTTER + 2, height - 1);
    g.fillText('now', width - 20, height - 1);
    if (analysis.now === 0) return drawn;

    this.trace(g, analysis.input, x, TIMELINE_COLOURS.input, 1);
    this.trace(g, analysis.edgeLevels, x, TIMELINE_COLOURS.edgeLevel, 1.5);
    drawn.speech = this.spans(g, analysis.speech, x, from, SPEECH, TIMELINE_COLOURS.speech);
    drawn.clipped = this.spans(g, analysis.clipped, x, from, CLIPPING, TIMELINE_COLOURS.clipping).length;
    drawn.silent = this.spans(g, analysis.silent, x, from, SILENCE, TIMELINE_COLOURS.silence).length;
    return drawn;
  }

  private levelGrid(g: CanvasRenderingContext2D, plotWidth: number): void {
    g.strokeStyle = '#e5e7eb';
    g.fillStyle = '#9ca3af';
    g.lineWidth = 1;
    for (const db of [0, -30, -60]) {
      const y = Math.round(levelY(db)) + 0.5;
      g.beginPath();
      g.moveTo(GUTTER, y);
      g.lineTo(GUTTER + plotWidth, y);
      g.stroke();
      g.fillText(`${db}`, GUTTER - 20, y);
    }
  }

  private trace(g: CanvasRenderingContext2D, points: readonly LevelPoint[], x: (t: number) => number, colour: string, lineWidth: number): void {
    if (points.length === 0) return;
    g.strokeStyle = colour;
    g.lineWidth = lineWidth;
    g.beginPath();
    points.forEach((point, i) => {
      const px = Math.max(GUTTER, x(point.t));
      if (i === 0) g.moveTo(px, levelY(point.rmsDb));
      else g.lineTo(px, levelY(point.rmsDb));
    });
    g.stroke();
  }

  /** Whole device pixels, one colour: a drawn span is exactly `colour`, so a test can count them on the canvas. */
  private spans(
    g: CanvasRenderingContext2D,
    spans: readonly TimeSpan[],
    x: (t: number) => number,
    from: number,
    lane: Lane,
    colour: string,
  ): TimeSpan[] {
    const shown = spans.filter((span) => span.end >= from);
    g.fillStyle = colour;
    for (const span of shown) {
      const left = Math.max(GUTTER, Math.floor(x(span.start)));
      const right = Math.max(left + MIN_MARK_PX, Math.ceil(x(span.end)));
      g.fillRect(left, lane.top, right - left, lane.height);
    }
    return shown.map((span) => ({ ...span }));
  }
}

function levelY(db: number): number {
  const clamped = Math.max(FLOOR_DB, Math.min(0, db));
  return LEVEL.top + LEVEL.height - ((clamped - FLOOR_DB) / -FLOOR_DB) * LEVEL.height;
}
