import { CloseCode, ErrorCode, RemoteMediaError, type ClientMessage } from '@remotemedia/shared';
import { ErrorReplyBudget } from '../limits/ErrorReplyBudget.ts';
import { RateLimiter } from '../limits/RateLimiter.ts';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { EdgeChannel } from './EdgeChannel.ts';
import { refsOf, refsOfInvalid, sendErrorReply, type ErrorRefs } from './replies.ts';

export interface SessionGateOptions {
  sessionId: string;
  /** Protocol messages per second the client may send, over all its channels. */
  messagesPerSecond: number;
  /** Error replies per second each channel gets for input refused without work (invalid, over the rate limit). */
  errorRepliesPerSecond: number;
  /** Bytes of earlier replies still waiting to go out on a channel above which its requests are refused unprocessed. */
  maxUnreadReplyBytes: number;
  log: Logger;
  metrics: EdgeMetrics;
}

/**
 * What a session lets in: one message rate limit over all its channels, and answers to input refused
 * without any work on it (over the rate limit, unreadable) within each channel's error-reply budget.
 *
 * Backpressure: a request that arrives while its channel still holds more than maxUnreadReplyBytes of
 * unsent output is refused before any work on it. A client that asks without reading otherwise made the main
 * thread build replies nobody read (the catalogue, 8 KB, ~0.5 ms each) until the send-queue cap closed it.
 * Refusal rather than a byte budget per second: the threshold follows how fast this client actually reads,
 * so a fast reader is never slowed and a stalled one buys nothing; the refusals are small, within the
 * error-reply budget, and a client that keeps on is closed. Frames are not held back: their results are the
 * stream, bounded by each node's frame queue with drop notices.
 */
export class SessionGate {
  private readonly options: SessionGateOptions;
  private readonly rate: RateLimiter;
  private readonly replyBudgets = new WeakMap<EdgeChannel, ErrorReplyBudget>();

  constructor(options: SessionGateOptions) {
    this.options = options;
    this.rate = new RateLimiter(options.messagesPerSecond);
  }

  /**
   * Spends one message of the rate limit; over it, or while the channel's earlier replies are unread, the
   * message is refused with RATE_LIMITED and false returned.
   */
  admit(message: ClientMessage, via: EdgeChannel): boolean {
    if (!this.rate.take()) {
      const error = new RemoteMediaError(
        ErrorCode.RateLimited,
        `this session sent more than ${this.rate.limit} messages in a second; "${message.type}" was not processed (slow down and retry)`,
        { retryable: true },
      );
      this.refuse(via, error, refsOf(message));
      return false;
    }
    const unread = via.pendingBytes;
    if (message.type === 'frame' || message.type === 'bye' || unread <= this.options.maxUnreadReplyBytes) return true;
    this.options.metrics.requestHeldBack();
    const error = new RemoteMediaError(
      ErrorCode.RateLimited,
      `${unread} bytes the edge sent on this ${via.kind} are still waiting to be read (over ${this.options.maxUnreadReplyBytes}); ` +
        `"${message.type}" was not processed (read the replies to earlier requests, then retry)`,
      { retryable: true },
    );
    this.refuse(via, error, refsOf(message));
    return false;
  }

  /** A message that could not be read or failed validation. */
  invalid(error: RemoteMediaError, via: EdgeChannel): void {
    // Unreadable messages cost decoding too: they spend the same budget.
    this.rate.take();
    if (this.refuse(via, error, refsOfInvalid(error))) {
      this.options.log.warn('invalid message', { session: this.options.sessionId, code: error.code, message: error.message });
    }
  }

  /**
   * Answers input refused without any work on it, within the channel's error-reply budget: past the budget
   * the reply is withheld, and a client that keeps on is closed (its waiting requests then fail on its side).
   * Returns whether the reply was sent.
   */
  private refuse(via: EdgeChannel, error: unknown, refs: ErrorRefs): boolean {
    const budget = this.budgetOf(via);
    const verdict = budget.spend();
    if (verdict === 'answer') {
      void sendErrorReply(via, error, refs, this.options.metrics);
      return true;
    }
    this.options.metrics.errorReplyWithheld();
    if (verdict === 'close') {
      this.options.metrics.connectionCutOff('error_flood');
      this.options.log.warn('client closed for an error flood', { session: this.options.sessionId, transport: via.kind });
      via.close(`${ErrorCode.RateLimited}: over ${budget.perSecond} refused messages a second, twice over`, CloseCode.PolicyViolation);
    }
    return false;
  }

  /** A channel's budget starts full on its first refusal, as it would have at the channel's opening. */
  private budgetOf(via: EdgeChannel): ErrorReplyBudget {
    let budget = this.replyBudgets.get(via);
    if (budget === undefined) {
      budget = new ErrorReplyBudget(this.options.errorRepliesPerSecond);
      this.replyBudgets.set(via, budget);
    }
    return budget;
  }
}
