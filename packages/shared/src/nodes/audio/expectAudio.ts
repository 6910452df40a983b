import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import { isAudioFrame } from '../../frames/AudioFrameData.ts';
import { describeValue } from '../schema/describeValue.ts';

/** More channels than any audio layout uses; nodes size per-channel work by it, so it must stay small. */
export const MAX_AUDIO_CHANNELS = 256;

/** Narrows a node input to a well-formed audio frame, or throws INVALID_INPUT naming the node. */
export function expectAudio(nodeName: string, input: unknown): AudioFrameData {
  if (!isAudioFrame(input) || !(input.samples instanceof Float32Array)) {
    const kind = (input as { kind?: unknown } | null)?.kind;
    const got = typeof kind === 'string' ? `a ${kind} item` : describeValue(input);
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${nodeName} takes audio frames, got ${got}`);
  }
  const { sampleRate, channels } = input;
  if (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${nodeName}: sampleRate must be a positive number, got ${describeValue(sampleRate)}`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_AUDIO_CHANNELS || input.samples.length % channels !== 0) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `${nodeName}: channels must be an integer from 1 to ${MAX_AUDIO_CHANNELS} that divides the ${input.samples.length} samples, got ${describeValue(channels)}`,
    );
  }
  return input;
}
