import { convertPixelFormat, type AudioFrameData, type SessionStats, type TransportKind, type VideoFrameData } from '@remotemedia/browser-sdk';
import type { AudioAnalysis, TimeSpan } from './media/AudioAnalysis.ts';
import type { DrawnTimeline } from './ui/AnalysisTimeline.ts';
import type { ConsoleLine } from './ui/ConsoleView.ts';
import type { ShownError } from './ui/ErrorLog.ts';

export interface PixelSample {
  /** Raw Y of an I420 frame at this point (undefined for RGBA). */
  lumaIn?: number;
  lumaOut?: number;
  x: number;
  y: number;
  input: [number, number, number];
  output: [number, number, number];
}

/** Audio that went through the current audio node, summed over frames whose output came back. */
export interface AudioProbe {
  nodeName: string | undefined;
  framesIn: number;
  framesOut: number;
  /** Sum of squared input samples of the frames that came back, and of their outputs: their ratio is the gain. */
  matchedInputEnergy: number;
  matchedOutputEnergy: number;
  lastInputRmsDb: number;
  lastOutputRmsDb: number;
}

/** What one branch of the branches graph returned, checked against the camera frame it was made from. */
export interface BranchProbe {
  frames: number;
  /** Frames whose sampled pixels are what the branch's node must produce (gray: R = G = B; motion: the input as is). */
  correct: number;
  /** Frames a detector branch found something in (MotionDetector regions). */
  detections: number;
  /** The first frame that was not, described. */
  firstWrong: string | undefined;
}

/** Microphone frames at least this loud count as sound a detector should find (the fake microphone's beep: -3 dB). */
const LOUD_DB = -20;
/** A few fixed points spread over the frame; the fake camera's test pattern is colourful there. */
const SAMPLE_POINTS = [
  [0.25, 0.25],
  [0.5, 0.5],
  [0.75, 0.6],
  [0.1, 0.9],
] as const;
/** Entries kept per list: the probe must not grow the page's memory on a long run. */
const PROBE_LIST_LIMIT = 400;

/** Audio analysis as the page drew it, and what a test checks it against. */
export interface AnalysisProbe {
  /** Microphone frames louder than LOUD_DB, measured in the page: where the sound was. */
  loudInputs: TimeSpan[];
  /** The loud frames the node processed (some are dropped on the way when the edge is busy): what it could find. */
  loudProcessed: TimeSpan[];
  /** Every frame the node processed, back-to-back frames merged: between these spans it heard nothing. */
  processed: TimeSpan[];
  /** Frames whose levels the edge measured (LevelMeter), and the largest difference from the page's own measure. */
  edgeLevelFrames: number;
  maxLevelDifferenceDb: number;
  /** What the last draw of the timeline put on the canvas. */
  drawn: DrawnTimeline | undefined;
}

/**
 * What the page saw, kept on `window.remotemediaDemo` so a person (devtools) or a browser test can check
 * the result: pixels in and out of the current video node, audio energy in and out of the current audio
 * node, the session's stats, and every error shown.
 */
export class DemoProbe {
  /** Set once Start has connected and the first node runs. */
  running = false;
  framesReceived = 0;
  /** Size of the last frame the video node returned. */
  outputSize: { width: number; height: number } | undefined;
  transport: TransportKind | undefined;
  videoNode: string | undefined;
  readonly samples: PixelSample[] = [];
  /** Error lines as shown (code, node, message); kept as text so old tests can compare them easily. */
  readonly errors: string[] = [];
  readonly errorDetails: ShownError[] = [];
  audio: AudioProbe = emptyAudio(undefined);
  stats: SessionStats | undefined;
  /** Catalogue names the edge listed. */
  catalogue: string[] = [];
  /** The console panel's lines (node output and edge notices), as shown. */
  consoleLines: readonly ConsoleLine[] = [];
  /** The audio analysis the timeline draws (speech, levels, clipping, silence). */
  analysis: AudioAnalysis | undefined;
  analysisCheck: AnalysisProbe = emptyAnalysisCheck();
  /** The "use this in your app" code shown now. */
  snippet = '';
  /** Per branch of the branches graph (demo/src/nodes/branchGraph.ts), while it runs. */
  branches: Record<string, BranchProbe> = {};

  recordBranch(branch: string, input: VideoFrameData, output: VideoFrameData): void {
    const probe = (this.branches[branch] ??= { frames: 0, correct: 0, detections: 0, firstWrong: undefined });
    probe.frames++;
    if (((output as { motion?: { regions?: unknown[] } }).motion?.regions?.length ?? 0) > 0) probe.detections++;
    const rgbIn = toRgba(input);
    const rgbOut = toRgba(output);
    const wrong = SAMPLE_POINTS.map(([fx, fy]) => {
      const x = Math.floor(fx * rgbIn.width);
      const y = Math.floor(fy * rgbIn.height);
      const out = rgbOut.data.subarray((y * rgbOut.width + x) * 4, (y * rgbOut.width + x) * 4 + 3);
      // The gray branch must be gray; a detector branch passes the camera frame through untouched.
      const expected =
        branch === 'gray' ? [out[0]!, out[0]!, out[0]!] : rgbIn.data.subarray((y * rgbIn.width + x) * 4, (y * rgbIn.width + x) * 4 + 3);
      return out.every((value, c) => value === expected[c]) ? undefined : `(${x},${y}) ${[...out].join(',')} != ${[...expected].join(',')}`;
    }).find((problem) => problem !== undefined);
    if (wrong === undefined && rgbOut.width === rgbIn.width && rgbOut.height === rgbIn.height) probe.correct++;
    else probe.firstWrong ??= wrong ?? `size ${rgbOut.width}x${rgbOut.height} != ${rgbIn.width}x${rgbIn.height}`;
  }

  /** A new video node: samples and counts start over so a test sees only this node's output. */
  resetVideo(nodeName: string | undefined): void {
    this.videoNode = nodeName;
    this.framesReceived = 0;
    this.samples.length = 0;
  }

  resetAudio(nodeName: string | undefined): void {
    this.audio = emptyAudio(nodeName);
  }

  record(input: VideoFrameData, output: VideoFrameData): void {
    this.framesReceived++;
    this.outputSize = { width: output.width, height: output.height };
    if (this.samples.length >= 64) return;
    // Samples are compared as RGB, whatever travelled: I420 is read as limited-range BT.601 and gray as R = G = B,
    // as they are drawn.
    // For I420 the raw luma is kept too, so a test can check exactly what the node did to it.
    const lumaOf = (frame: VideoFrameData, x: number, y: number): number | undefined =>
      frame.format === 'i420' ? frame.data[y * frame.width + x] : undefined;
    const rawIn = input;
    const rawOut = output;
    input = toRgba(input);
    output = toRgba(output);
    if (input.format !== 'rgba' || output.format !== 'rgba') return;
    for (const [fx, fy] of SAMPLE_POINTS) {
      const x = Math.floor(fx * input.width);
      const y = Math.floor(fy * input.height);
      const i = (y * input.width + x) * 4;
      this.samples.push({
        x,
        y,
        input: [input.data[i]!, input.data[i + 1]!, input.data[i + 2]!],
        output: [output.data[i]!, output.data[i + 1]!, output.data[i + 2]!],
        lumaIn: lumaOf(rawIn, x, y),
        lumaOut: lumaOf(rawOut, x, y),
      });
    }
  }

  recordAudioInput(rmsDb: number, span: TimeSpan): void {
    this.audio.framesIn++;
    this.audio.lastInputRmsDb = rmsDb;
    if (rmsDb >= LOUD_DB) keep(this.analysisCheck.loudInputs, span);
  }

  /**
   * A frame the audio node processed, with everything it returned: levels the edge attached are compared with
   * the page's measure of the same frame.
   */
  recordAudioProcessed(inputRmsDb: number, span: TimeSpan, items: readonly unknown[]): void {
    if (inputRmsDb >= LOUD_DB) keep(this.analysisCheck.loudProcessed, span);
    const last = this.analysisCheck.processed.at(-1);
    if (last !== undefined && Math.abs(span.start - last.end) < 1) last.end = span.end;
    else keep(this.analysisCheck.processed, { ...span });
    for (const item of items) {
      const levels = (item as { levels?: { rmsDb?: unknown } } | null)?.levels;
      if (typeof levels?.rmsDb !== 'number') continue;
      this.analysisCheck.edgeLevelFrames++;
      this.analysisCheck.maxLevelDifferenceDb = Math.max(this.analysisCheck.maxLevelDifferenceDb, Math.abs(levels.rmsDb - inputRmsDb));
    }
  }

  /** Stop: counts, stats and analysis start over with the next Start. */
  resetAll(): void {
    this.running = false;
    this.stats = undefined;
    this.transport = undefined;
    this.resetVideo(undefined);
    this.resetAudio(undefined);
    this.analysisCheck = emptyAnalysisCheck();
    this.branches = {};
  }

  recordAudioOutput(input: AudioFrameData, inputEnergy: number, output: AudioFrameData, outputEnergy: number, outputRmsDb: number): void {
    if (input.samples.length !== output.samples.length) return;
    this.audio.framesOut++;
    this.audio.matchedInputEnergy += inputEnergy;
    this.audio.matchedOutputEnergy += outputEnergy;
    this.audio.lastOutputRmsDb = outputRmsDb;
  }

  recordError(error: ShownError): void {
    this.errors.push(`${error.code}${error.nodeName ? ` in ${error.nodeName}` : ''}: ${error.message}`);
    this.errorDetails.push({ ...error });
  }
}

function keep<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > PROBE_LIST_LIMIT) list.shift();
}

function emptyAnalysisCheck(): AnalysisProbe {
  return { loudInputs: [], loudProcessed: [], processed: [], edgeLevelFrames: 0, maxLevelDifferenceDb: 0, drawn: undefined };
}

function emptyAudio(nodeName: string | undefined): AudioProbe {
  return { nodeName, framesIn: 0, framesOut: 0, matchedInputEnergy: 0, matchedOutputEnergy: 0, lastInputRmsDb: -120, lastOutputRmsDb: -120 };
}

function toRgba(frame: VideoFrameData): VideoFrameData {
  return convertPixelFormat(frame, 'rgba', 'limited');
}
