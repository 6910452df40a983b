import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import type { PipelineNode } from '../../pipeline/PipelineNode.ts';
import { defineBuiltinNode } from '../NodeDefinition.ts';
import { toDecibels } from './decibels.ts';
import { expectAudio } from './expectAudio.ts';
import { FormatBound } from './FormatBound.ts';
import { blockEnergy, toneShare } from './goertzel.ts';
import { monoMix } from './monoMix.ts';

export interface DtmfDetectorConfig {
  minLevelDb: number;
  minDurationMs: number;
  maxTwistDb: number;
}

export interface DtmfKey {
  readonly digit: string;
  /** Start of the first block the key was heard in, in the frames' time base (ms). */
  readonly startMs: number;
}

export interface DtmfInfo {
  /** The key held now, or null. */
  readonly digit: string | null;
  /** Keys recognised during this frame (held for `minDurationMs`): a key press, reported once. */
  readonly pressed: readonly DtmfKey[];
  /** Keys released during this frame, with how long they were held. */
  readonly released: ReadonlyArray<DtmfKey & { readonly durationMs: number }>;
}

export type DtmfAudioFrame = AudioFrameData & { readonly dtmf: DtmfInfo };

const ROWS = [697, 770, 852, 941];
const COLUMNS = [1209, 1336, 1477, 1633];
const KEYS = ['123A', '456B', '789C', '*0#D'];
/** 25.6 ms blocks (205 samples at 8 kHz, as telephony uses): frequency bins narrow enough to tell rows apart. */
const BLOCK_MS = 25.6;

class DtmfState {
  readonly blockSize: number;
  readonly block: Float32Array;
  fill = 0;
  /** The key of the current run of blocks, its start and how many blocks it lasted. */
  candidate: string | null = null;
  candidateStart = 0;
  candidateBlocks = 0;
  reported = false;

  constructor(readonly sampleRate: number) {
    this.blockSize = Math.round((sampleRate * BLOCK_MS) / 1000);
    this.block = new Float32Array(this.blockSize);
  }
}

/**
 * Decodes touch-tone (DTMF) keys: each 25.6 ms block is checked for exactly one row tone and one column tone
 * (Goertzel), both strong, with limited twist between them; a key counts once held for `minDurationMs`.
 */
export class DtmfDetectorNode implements PipelineNode<AudioFrameData, DtmfAudioFrame> {
  readonly name = 'DtmfDetector';
  private readonly states = new FormatBound((sampleRate) => new DtmfState(sampleRate));

  constructor(private readonly config: DtmfDetectorConfig) {}

  process(input: AudioFrameData): DtmfAudioFrame {
    const frame = expectAudio(this.name, input);
    const state = this.states.for(frame);
    const mono = monoMix(frame);
    const pressed: DtmfKey[] = [];
    const released: Array<DtmfKey & { durationMs: number }> = [];
    for (let i = 0; i < mono.length; i++) {
      state.block[state.fill++] = mono[i]!;
      if (state.fill < state.blockSize) continue;
      state.fill = 0;
      const blockStart = frame.timestamp + ((i + 1 - state.blockSize) / state.sampleRate) * 1000;
      this.step(state, this.keyIn(state.block, state.sampleRate), blockStart, pressed, released);
    }
    return { ...frame, dtmf: { digit: state.reported ? state.candidate : null, pressed, released } };
  }

  private step(
    state: DtmfState,
    key: string | null,
    blockStart: number,
    pressed: DtmfKey[],
    released: Array<DtmfKey & { durationMs: number }>,
  ): void {
    if (key === state.candidate && key !== null) {
      state.candidateBlocks++;
    } else {
      if (state.reported && state.candidate !== null) {
        released.push({ digit: state.candidate, startMs: state.candidateStart, durationMs: blockStart - state.candidateStart });
      }
      state.candidate = key;
      state.candidateStart = blockStart;
      state.candidateBlocks = key === null ? 0 : 1;
      state.reported = false;
    }
    if (key !== null && !state.reported && state.candidateBlocks >= Math.max(1, Math.round(this.config.minDurationMs / BLOCK_MS))) {
      state.reported = true;
      pressed.push({ digit: key, startMs: state.candidateStart });
    }
  }

  private keyIn(block: Float32Array, sampleRate: number): string | null {
    const energy = blockEnergy(block);
    if (toDecibels(Math.sqrt(energy / block.length)) < this.config.minLevelDb) return null;
    const row = strongest(ROWS.map((hz) => toneShare(block, hz, sampleRate, energy)));
    const column = strongest(COLUMNS.map((hz) => toneShare(block, hz, sampleRate, energy)));
    // Both tones carry most of the energy, each stands clear of its neighbours, and neither drowns the other.
    if (row.share < 0.15 || column.share < 0.15 || row.share + column.share < 0.6) return null;
    if (row.runnerUp > row.share / 6 || column.runnerUp > column.share / 6) return null;
    if (Math.abs(10 * Math.log10(row.share / column.share)) > this.config.maxTwistDb) return null;
    return KEYS[row.index]![column.index]!;
  }
}

function strongest(shares: number[]): { index: number; share: number; runnerUp: number } {
  let index = 0;
  for (let i = 1; i < shares.length; i++) if (shares[i]! > shares[index]!) index = i;
  const runnerUp = Math.max(...shares.filter((_, i) => i !== index));
  return { index, share: shares[index]!, runnerUp };
}

export const dtmfDetectorDefinition = defineBuiltinNode<DtmfDetectorConfig>({
  name: 'DtmfDetector',
  description: 'Decodes touch-tone (DTMF) key presses, as `dtmf` on each frame (key held, pressed and released).',
  category: 'audio',
  configSchema: {
    properties: {
      minLevelDb: { type: 'number', description: 'Least level (dBFS RMS) of a block to be considered.', minimum: -100, maximum: 0, default: -45 },
      minDurationMs: { type: 'number', description: 'How long a key must be held to count.', minimum: 20, maximum: 1000, default: 40 },
      maxTwistDb: { type: 'number', description: 'Largest level difference between the two tones, in dB.', minimum: 0, maximum: 20, default: 8 },
    },
  },
  example: { minDurationMs: 50 },
  inputKinds: ['audio'],
  outputKinds: ['audio'],
  remote: true,
  build: (config) => new DtmfDetectorNode(config),
});
