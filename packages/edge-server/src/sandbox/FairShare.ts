import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';

/**
 * How the edge's sandboxes are shared between sessions. Below `fromPercent` of `max` in use, any session may
 * take one (up to its own per-session cap, checked elsewhere). From there on, a session may take another only
 * while it holds fewer than half of the sandboxes still free. A session that holds nothing is therefore never
 * refused while one is free, and greedy sessions leave room that shrinks geometrically instead of all of it:
 * 8 sessions grabbing 16 each of 128 end with about 114, not 128, and newcomers share the rest.
 */
export interface FairShare {
  max: number;
  /** Percentage of `max` in use from which the rule applies; 100 leaves only the hard cap. */
  fromPercent: number;
}

/** Why `held` more sandboxes for one session cannot get another now, or undefined when it can. */
export function shareRefusal(share: FairShare, used: number, held: number): RemoteMediaError | undefined {
  if (used >= share.max) {
    return new RemoteMediaError(
      ErrorCode.TooManySandboxes,
      `this edge is running its maximum of ${share.max} sandboxes; try again when some are disposed`,
      { retryable: true },
    );
  }
  const free = share.max - used;
  if (used * 100 >= share.max * share.fromPercent && held * 2 >= free) {
    return new RemoteMediaError(
      ErrorCode.TooManySandboxes,
      `this edge has only ${free} of its ${share.max} sandboxes free and this session already holds ${held}; past ${share.fromPercent}% use a session may hold fewer than half of those still free, so that other sessions keep room. Dispose one of this session's nodes, or try again later`,
      { retryable: true },
    );
  }
  return undefined;
}
