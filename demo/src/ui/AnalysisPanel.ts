import type { AudioAnalysis } from '../media/AudioAnalysis.ts';
import { AnalysisTimeline, type DrawnTimeline, TIMELINE_COLOURS } from './AnalysisTimeline.ts';
import { byId, h } from './dom.ts';

const HINT =
  'Apply SileroVAD (neural) or VoiceActivityDetector, LevelMeter, ClippingDetector or SilenceDetector to the microphone to see what it finds.';

/** The audio analysis section: the timeline, and one line per kind of analysis seen since Start. */
export class AnalysisPanel {
  private readonly timeline = new AnalysisTimeline(byId<HTMLCanvasElement>('analysis-timeline'));
  private readonly summary = byId<HTMLUListElement>('analysis-summary');

  constructor() {
    // The legend takes its colours from the timeline's, so the two cannot disagree.
    for (const swatch of document.querySelectorAll<HTMLElement>('.legend [data-series]')) {
      swatch.style.background = TIMELINE_COLOURS[swatch.dataset.series as keyof typeof TIMELINE_COLOURS] ?? '';
    }
  }

  /** Draws the lanes and the summary; with nothing analysed yet (or after Stop) that is empty lanes and the hint. */
  update(analysis: AudioAnalysis): DrawnTimeline {
    const lines = describe(analysis);
    this.summary.replaceChildren(...(lines.length > 0 ? lines : [HINT]).map((line) => h('li', { textContent: line })));
    return this.timeline.draw(analysis);
  }
}

function describe(analysis: AudioAnalysis): string[] {
  const { totals, now } = analysis;
  const ago = (t: number): string => `${Math.max(0, (now - t) / 1000).toFixed(1)} s ago`;
  const lines: string[] = [];
  if (totals.speechSegments > 0) {
    const last = analysis.speech.at(-1);
    const lastText = last ? `; last ${Math.round(last.end - last.start)} ms long, ended ${ago(last.end)}` : '';
    lines.push(`Speech: ${plural(totals.speechSegments, 'segment')}${lastText}`);
  }
  if (totals.edgeLevels > 0) {
    const loudest = analysis.edgeLevels.reduce((a, b) => (b.rmsDb > a.rmsDb ? b : a), analysis.edgeLevels[0]!);
    lines.push(`Level on the edge, loudest in view: RMS ${loudest.rmsDb.toFixed(1)} dB, peak ${loudest.peakDb.toFixed(1)} dB`);
  }
  if (totals.clippedFrames > 0) {
    const last = analysis.clipped.at(-1);
    lines.push(`Clipping: ${plural(totals.clippedFrames, 'frame')} clipped${last ? `, last ${ago(last.end)}` : ''}`);
  }
  if (totals.silenceChecked > 0) {
    lines.push(
      `Silence: ${analysis.silentNow ? 'silent now' : 'sound now'}; ${plural(totals.silentFrames, 'silent frame')} of ${totals.silenceChecked}`,
    );
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
