import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { BiquadCascade } from './biquad.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';
import { kWeightingSections } from './kWeighting.ts';

/** Loudness in LUFS; `null` until enough audio has been heard (or, integrated, while all of it is below the gate). */
export interface Loudness {
  /** Over the last 400 ms. */
  readonly momentaryLufs: number | null;
  /** Over the last 3 s. */
  readonly shortTermLufs: number | null;
  /** Over everything so far, gated (EBU R128: -70 LUFS absolute, then -10 LU relative). */
  readonly integratedLufs: number | null;
}

export type LoudnessAudioFrame = AudioFrameData & { readonly loudness: Loudness };

const BLOCK_MS = 100;
const MOMENTARY_BLOCKS = 4;
const SHORT_TERM_BLOCKS = 30;
const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;
/** Gated blocks are kept as a histogram of 0.1 LU bins from the absolute gate up: bounded memory on endless streams. */
const HISTOGRAM_STEP = 0.1;
const HISTOGRAM_BINS = 800;

function lufs(meanSquare: number): number | null {
  return meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : null;
}

class LoudnessState {
  readonly filter: BiquadCascade;
  readonly blockFrames: number;
  private scratch = new Float32Array(0);
  /** K-weighted energy (sum over channels of squares) of the block being filled, and its frame count. */
  private blockEnergy = 0;
  private blockFill = 0;
  /** Mean-square energy of the last SHORT_TERM_BLOCKS full blocks, newest last. */
  private readonly blocks: number[] = [];
  private readonly binCounts = new Float64Array(HISTOGRAM_BINS);
  private readonly binEnergy = new Float64Array(HISTOGRAM_BINS);

  constructor(sampleRate: number, channels: number) {
    this.filter = new BiquadCascade(kWeightingSections(sampleRate), channels);
    this.blockFrames = Math.round((sampleRate * BLOCK_MS) / 1000);
  }

  add(frame: AudioFrameData): Loudness {
    if (this.scratch.length < frame.samples.length) this.scratch = new Float32Array(frame.samples.length);
    const weighted = this.scratch.subarray(0, frame.samples.length);
    this.filter.process(frame.samples, weighted);
    const { channels } = frame;
    for (let n = 0; n < weighted.length / channels; n++) {
      for (let c = 0; c < channels; c++) this.blockEnergy += weighted[n * channels + c]! ** 2;
      if (++this.blockFill === this.blockFrames) this.closeBlock();
    }
    return {
      momentaryLufs: this.windowLoudness(MOMENTARY_BLOCKS),
      shortTermLufs: this.windowLoudness(SHORT_TERM_BLOCKS),
      integratedLufs: this.integrated(),
    };
  }

  private closeBlock(): void {
    this.blocks.push(this.blockEnergy / this.blockFrames);
    if (this.blocks.length > SHORT_TERM_BLOCKS) this.blocks.shift();
    this.blockEnergy = 0;
    this.blockFill = 0;
    // Every 100 ms a 400 ms gating block (75% overlap) joins the integrated measure.
    if (this.blocks.length >= MOMENTARY_BLOCKS) {
      const energy = mean(this.blocks.slice(-MOMENTARY_BLOCKS));
      const loudness = lufs(energy);
      if (loudness !== null && loudness > ABSOLUTE_GATE_LUFS) {
        const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor((loudness - ABSOLUTE_GATE_LUFS) / HISTOGRAM_STEP));
        this.binCounts[bin]!++;
        this.binEnergy[bin]! += energy;
      }
    }
  }

  private windowLoudness(blocks: number): number | null {
    return this.blocks.length >= blocks ? lufs(mean(this.blocks.slice(-blocks))) : null;
  }

  private integrated(): number | null {
    const total = gatedMean(this.binCounts, this.binEnergy, 0);
    if (total === null) return null;
    const relativeGate = lufs(total)! + RELATIVE_GATE_LU;
    const firstBin = Math.max(0, Math.ceil((relativeGate - ABSOLUTE_GATE_LUFS) / HISTOGRAM_STEP));
    const gated = gatedMean(this.binCounts, this.binEnergy, firstBin);
    return gated === null ? null : lufs(gated);
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean energy of the blocks in bins `from` and up, or null when there are none. */
function gatedMean(counts: Float64Array, energy: Float64Array, from: number): number | null {
  let count = 0;
  let sum = 0;
  for (let bin = from; bin < counts.length; bin++) {
    count += counts[bin]!;
    sum += energy[bin]!;
  }
  return count > 0 ? sum / count : null;
}

/**
 * Measures loudness as broadcast does (ITU-R BS.1770 K-weighting, EBU R128 windows and gating): momentary
 * (400 ms), short-term (3 s) and integrated LUFS on every frame, as `loudness`. Channels are summed with equal
 * weight (mono, stereo); audio passes unchanged.
 */
export class LoudnessMeterNode implements PipelineNode<AudioFrameData, LoudnessAudioFrame> {
  readonly name = 'LoudnessMeter';
  private readonly states = new FormatBound((sampleRate, channels) => new LoudnessState(sampleRate, channels));

  process(input: AudioFrameData): LoudnessAudioFrame {
    const frame = expectAudio(this.name, input);
    return { ...frame, loudness: this.states.for(frame).add(frame) };
  }
}

export const loudnessMeterDefinition = defineBuiltinNode<Record<string, never>>({
  name: 'LoudnessMeter',
  description: 'Measures loudness in LUFS (EBU R128 momentary, short-term and integrated), as `loudness` on each frame.',
  category: 'audio',
  configSchema: { properties: {} },
  example: {},
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: () => new LoudnessMeterNode(),
});
