import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { validateItem } from '@remotemedia/shared/protocol';
import { InvalidResult } from './InvalidResult.ts';

/**
 * Checks every frame a sandboxed node hands back before it leaves the sandbox layer, by the same rules the edge
 * applies to frames from clients: a video frame's bytes must match its width, height and format, audio samples
 * must divide into its channels, and neither may exceed maxFrameBytes. Clients and downstream nodes size their
 * work from these fields, so a frame that lies about them must never reach one. In 'process' mode the result is
 * the list of outputs, each checked; in 'call' mode a frame-shaped result is checked itself.
 */
export function checkOutputFrames(result: unknown, mode: 'call' | 'process', maxFrameBytes: number): void {
  if (mode === 'call') {
    checkItem(result, 'result', maxFrameBytes);
    return;
  }
  // The prelude always hands back a list here; anything else did not come from it.
  if (!Array.isArray(result)) throw InvalidResult.forged('its list of outputs is not a list');
  result.forEach((item, i) => checkItem(item, `output[${i}]`, maxFrameBytes));
}

function checkItem(item: unknown, path: string, maxFrameBytes: number): void {
  try {
    validateItem(item, path, { maxFrameBytes });
  } catch (error) {
    if (!(error instanceof RemoteMediaError)) throw error;
    const code = error.code === ErrorCode.FrameTooLarge ? ErrorCode.FrameTooLarge : ErrorCode.InvalidOutput;
    throw new InvalidResult(code, error.message, false);
  }
}
