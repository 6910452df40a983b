import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../../frames/AudioFrameData.ts';
import { isAudioFrame } from '../../frames/AudioFrameData.ts';
import { describeValue } from '../schema/describeValue.ts';

/** Narrows a node input to an audio frame, or throws INVALID_INPUT naming the node. */
export function expectAudio(nodeName: string, input: unknown): AudioFrameData {
  if (!isAudioFrame(input) || !(input.samples instanceof Float32Array)) {
    const kind = (input as { kind?: unknown } | null)?.kind;
    const got = typeof kind === 'string' ? `a ${kind} item` : describeValue(input);
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${nodeName} takes audio frames, got ${got}`);
  }
  return input;
}
