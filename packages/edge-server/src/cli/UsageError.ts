import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';

/**
 * The command line itself is wrong (a missing argument, an unknown flag, a bad flag value). Kept apart from
 * other failures because it exits with 2, so scripts can tell "fix the invocation" from "the work failed".
 */
export class UsageError extends RemoteMediaError {
  constructor(message: string) {
    super(ErrorCode.InvalidInput, message);
    this.name = 'UsageError';
  }
}
