import { ErrorCode } from '../../errors/ErrorCode.ts';
import { RemoteMediaError } from '../../errors/RemoteMediaError.ts';
import type { VideoFrameData } from '../../frames/VideoFrameData.ts';
import { isVideoFrame, videoFrameByteLength } from '../../frames/VideoFrameData.ts';
import { describeValue } from '../schema/describeValue.ts';

/** Narrows a node input to a well-formed video frame, or throws INVALID_INPUT naming the node. */
export function expectVideo(nodeName: string, input: unknown): VideoFrameData {
  if (!isVideoFrame(input) || !(input.data instanceof Uint8Array)) {
    const kind = (input as { kind?: unknown } | null)?.kind;
    const got = typeof kind === 'string' ? `a ${kind} item` : describeValue(input);
    throw new RemoteMediaError(ErrorCode.InvalidInput, `${nodeName} takes video frames, got ${got}`);
  }
  const expected = videoFrameByteLength(input.format, input.width, input.height);
  if (input.data.byteLength !== expected) {
    throw new RemoteMediaError(
      ErrorCode.InvalidInput,
      `${nodeName}: a ${input.width}x${input.height} ${input.format} frame needs ${expected} bytes, got ${input.data.byteLength}`,
    );
  }
  return input;
}
