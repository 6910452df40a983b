import { RateLimiter } from './RateLimiter.ts';

/** Error replies per second one connection gets; enough for a client's honest mistakes, small next to its message rate. */
export const DEFAULT_ERROR_REPLIES_PER_SECOND = 200;

/** What to do with one error reply: send it, leave it unsent, or close the connection instead. */
export type ErrorReplyVerdict = 'answer' | 'withhold' | 'close';

/**
 * Error replies one connection gets for input the edge refused without working on it (unreadable or invalid
 * messages, messages over the rate limit). Answering all of them turns a flood of small garbage into a flood
 * of larger replies. Up to `perSecond` are answered; past that, replies are withheld; a client that keeps on
 * until it owes another second's worth is closed (its waiting requests then fail on its side, so nothing is
 * left unanswered for good).
 */
export class ErrorReplyBudget {
  private readonly limiter: RateLimiter;

  constructor(perSecond: number) {
    this.limiter = new RateLimiter(perSecond, { overdraft: perSecond });
  }

  get perSecond(): number {
    return this.limiter.limit;
  }

  spend(): ErrorReplyVerdict {
    if (this.limiter.take()) return 'answer';
    return this.limiter.overdrawn ? 'close' : 'withhold';
  }
}
