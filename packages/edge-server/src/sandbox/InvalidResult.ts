import { ErrorCode } from '@remotemedia/shared/errors';

type ResultCode = typeof ErrorCode.InvalidOutput | typeof ErrorCode.MessageTooLarge | typeof ErrorCode.FrameTooLarge;

/**
 * The host refused what a guest handed back, before passing any of it on. `forged` marks a result the guest's own
 * encoder could not have produced (sizes, indexes or tags that disagree): the guest subverted its prelude, so the
 * sandbox is retired. Other refusals (a frame whose size disagrees with its bytes, a result over a bound) are the
 * node's mistake and leave the instance usable.
 */
export class InvalidResult extends Error {
  constructor(
    readonly code: ResultCode,
    message: string,
    readonly forged: boolean,
  ) {
    super(message);
    this.name = 'InvalidResult';
  }

  /** A result the prelude could not have produced. */
  static forged(message: string): InvalidResult {
    return new InvalidResult(ErrorCode.InvalidOutput, message, true);
  }
}
