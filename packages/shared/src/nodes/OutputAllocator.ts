import { ErrorCode } from '../errors/ErrorCode.ts';
import { RemoteMediaError } from '../errors/RemoteMediaError.ts';
import type { NodeLimits } from './NodeLimits.ts';

/**
 * Where a built-in sizes its output: every buffer whose length depends on config or input is checked against
 * the host's limits here, before any memory is taken, so no node can be configured or fed into an
 * allocation the edge would refuse to send anyway.
 */
export class OutputAllocator {
  readonly nodeName: string;
  readonly limits: NodeLimits;

  constructor(nodeName: string, limits: NodeLimits) {
    this.nodeName = nodeName;
    this.limits = limits;
  }

  /** Throws FRAME_TOO_LARGE when one output frame of `bytes` would exceed maxFrameBytes; `what` names it. */
  checkFrame(bytes: number, what: string): void {
    if (Number.isFinite(bytes) && bytes <= this.limits.maxFrameBytes) return;
    throw new RemoteMediaError(
      ErrorCode.FrameTooLarge,
      `${this.nodeName}: ${what} would be ${formatBytes(bytes)}, over this host's maxFrameBytes (${this.limits.maxFrameBytes}); ` +
        'use a smaller size or smaller input, or raise the limit',
    );
  }

  /** Throws MESSAGE_TOO_LARGE when one output item estimated at `bytes` would exceed maxItemBytes. */
  checkItem(bytes: number, what: string): void {
    if (Number.isFinite(bytes) && bytes <= this.limits.maxItemBytes) return;
    throw new RemoteMediaError(
      ErrorCode.MessageTooLarge,
      `${this.nodeName}: ${what} would be about ${formatBytes(bytes)}, over this host's largest item (${this.limits.maxItemBytes} bytes, its maxMessageBytes); ` +
        'send smaller items or make batches smaller',
    );
  }

  /** A zeroed frame payload of `length` bytes, checked first. */
  frameBytes(length: number, what: string): Uint8Array {
    this.checkFrame(length, what);
    return new Uint8Array(length);
  }

  /** A zeroed block of `count` float samples, checked first. */
  frameSamples(count: number, what: string): Float32Array {
    this.checkFrame(count * Float32Array.BYTES_PER_ELEMENT, what);
    return new Float32Array(count);
  }
}

function formatBytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.ceil(bytes)} bytes` : 'unbounded';
}
