import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { AudioFrameData } from '../../frames/AudioFrameData.ts';

/** Input rates the model nodes accept: the resampler's cost per sample grows with the rate ratio. */
export const MODEL_INPUT_MIN_RATE = 8000;
export const MODEL_INPUT_MAX_RATE = 192_000;

/**
 * Checks a model node's frame against the stream's format, fixed by its first frame (a model node keeps
 * resampler and recurrent state for one format); throws INVALID_INPUT naming the node otherwise.
 */
export function checkModelInput(nodeName: string, frame: AudioFrameData, first: { sampleRate: number; channels: number } | undefined): void {
  if (frame.sampleRate < MODEL_INPUT_MIN_RATE || frame.sampleRate > MODEL_INPUT_MAX_RATE) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `${nodeName} accepts ${MODEL_INPUT_MIN_RATE} to ${MODEL_INPUT_MAX_RATE} Hz audio, got ${frame.sampleRate} Hz`,
    );
  }
  if (first && (first.sampleRate !== frame.sampleRate || first.channels !== frame.channels)) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `${nodeName}: the stream started as ${first.channels}-channel ${first.sampleRate} Hz audio and cannot change to ${frame.channels}-channel ${frame.sampleRate} Hz; create another node for another format`,
    );
  }
}
