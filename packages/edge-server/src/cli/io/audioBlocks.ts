import { ErrorCode, RemoteMediaError, isAudioFrame, type AudioFrameData } from '@remotemedia/shared';

/** 20 ms is what live capture delivers, so a file run exercises nodes the way a microphone would. */
export const BLOCK_MS = 20;

/** Samples per channel in one block. */
function blockLength(sampleRate: number, blockMs: number): number {
  return Math.max(1, Math.round((sampleRate * blockMs) / 1000));
}

/** How many blocks audioBlocks cuts `frame` into. */
export function audioBlockCount(frame: AudioFrameData, blockMs = BLOCK_MS): number {
  return Math.ceil(frame.samples.length / frame.channels / blockLength(frame.sampleRate, blockMs));
}

/** Cuts one long frame into consecutive blocks of `blockMs` (the last may be shorter), timestamps in ms. */
export function* audioBlocks(frame: AudioFrameData, blockMs = BLOCK_MS): Generator<AudioFrameData> {
  const { sampleRate, channels, samples } = frame;
  const blockFrames = blockLength(sampleRate, blockMs);
  const totalFrames = samples.length / channels;
  for (let start = 0; start < totalFrames; start += blockFrames) {
    const end = Math.min(start + blockFrames, totalFrames);
    yield {
      kind: 'audio',
      sampleRate,
      channels,
      timestamp: frame.timestamp + (start / sampleRate) * 1000,
      // A copy, not a view: a node may modify its input in place, and the blocks must stay independent.
      samples: samples.slice(start * channels, end * channels),
    };
  }
}

/**
 * Concatenates the audio a pipeline emitted into one frame for a file. Gaps left by nodes that drop frames
 * are closed up (a file has no timeline of its own). Every frame must share one sample rate and channel count,
 * and every output must be audio: a WAV cannot hold anything else.
 */
export function joinAudio(outputs: readonly unknown[], target: string): AudioFrameData {
  const frames: AudioFrameData[] = [];
  let other = 0;
  for (const output of outputs) {
    if (isAudioFrame(output) && output.samples instanceof Float32Array) frames.push(output);
    else other++;
  }
  if (other > 0) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `the pipeline emitted ${other} item${other === 1 ? '' : 's'} that ${other === 1 ? 'is' : 'are'} not audio; ${target} can only hold audio (write a .json output to keep them)`,
    );
  }
  const [first] = frames;
  if (first === undefined) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `the pipeline emitted no audio, so there is nothing to write to ${target}`);
  }
  let length = 0;
  for (const frame of frames) {
    if (frame.sampleRate !== first.sampleRate || frame.channels !== first.channels) {
      throw new RemoteMediaError(
        ErrorCode.InvalidInput,
        `the pipeline's audio changed from ${describe(first)} to ${describe(frame)}; one WAV file holds one format`,
      );
    }
    length += frame.samples.length;
  }
  const samples = new Float32Array(length);
  let at = 0;
  for (const frame of frames) {
    samples.set(frame.samples, at);
    at += frame.samples.length;
  }
  return { kind: 'audio', sampleRate: first.sampleRate, channels: first.channels, timestamp: first.timestamp, samples };
}

function describe(frame: AudioFrameData): string {
  return `${frame.sampleRate} Hz x ${frame.channels} channel${frame.channels === 1 ? '' : 's'}`;
}
