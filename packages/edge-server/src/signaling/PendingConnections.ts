import { CloseCode } from '@remotemedia/shared';
import type { WebSocket } from 'ws';
import type { Logger } from '../log/Logger.ts';
import type { EdgeMetrics } from '../metrics/EdgeMetrics.ts';
import type { EdgeChannel } from '../session/EdgeChannel.ts';

export interface PendingConnectionsOptions {
  /** Connections waiting to say hello at once; at the cap the oldest is closed to make room. */
  max: number;
  helloTimeoutMs: number;
  /**
   * WebSocket messages (chunks: readable or not, complete or not) a connection may send until its session is
   * bound, hello included. A client needs one; no session means no rate limit yet, so this is the limit.
   */
  maxChunks: number;
  metrics: EdgeMetrics;
  log: Logger;
}

/** One connection's way out of the pending state. */
export interface PendingConnection {
  /** It said hello: no more deadline, and it can no longer be closed to make room. */
  helloReceived(): void;
  /** Its session is bound (or it was refused): it stops counting against the pre-session budget. */
  bound(): void;
}

interface Entry {
  channel: EdgeChannel;
  timer: NodeJS.Timeout;
}

/**
 * Signaling connections that have not said hello yet, kept apart from session capacity: they are cheap to
 * open, so they get a small pool of their own, a short deadline, and a small message budget. When the pool
 * is full the oldest is closed for a newcomer, so idle sockets cannot lock real clients out (a real client
 * says hello one round trip after connecting, long before it is the oldest).
 */
export class PendingConnections {
  private readonly options: PendingConnectionsOptions;
  /** Insertion order is age: the first entry is the oldest. */
  private readonly waiting = new Map<WebSocket, Entry>();

  constructor(options: PendingConnectionsOptions) {
    this.options = options;
  }

  admit(ws: WebSocket, channel: EdgeChannel): PendingConnection {
    const { max, helloTimeoutMs, maxChunks } = this.options;
    while (this.waiting.size >= max) this.evictOldest();
    const timer = setTimeout(() => {
      this.leave(ws);
      this.cut(channel, `no hello within ${helloTimeoutMs} ms`, CloseCode.PolicyViolation, 'hello_timeout');
    }, helloTimeoutMs);
    timer.unref();
    this.waiting.set(ws, { channel, timer });
    let chunks = 0;
    // Ahead of the channel's own listener, so the chunk over the budget is not even decoded.
    const count = (): void => {
      if (++chunks <= maxChunks) return;
      ws.off('message', count);
      this.leave(ws);
      this.cut(
        channel,
        `more than ${maxChunks} messages before the session was ready (say hello, then wait for welcome)`,
        CloseCode.PolicyViolation,
        'pre_hello_budget',
      );
    };
    ws.prependListener('message', count);
    channel.on('close', () => {
      ws.off('message', count);
      this.leave(ws);
    });
    return {
      helloReceived: () => this.leave(ws),
      bound: () => ws.off('message', count),
    };
  }

  private leave(ws: WebSocket): void {
    const entry = this.waiting.get(ws);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.waiting.delete(ws);
  }

  private evictOldest(): void {
    const [ws, entry] = this.waiting.entries().next().value as [WebSocket, Entry];
    this.leave(ws);
    this.cut(
      entry.channel,
      `${this.options.max} connections were waiting to say hello; this one waited longest`,
      CloseCode.TryAgainLater,
      'pending_evicted',
    );
  }

  private cut(channel: EdgeChannel, reason: string, code: number, metric: 'hello_timeout' | 'pending_evicted' | 'pre_hello_budget'): void {
    this.options.metrics.connectionCutOff(metric);
    this.options.log.info('connection closed before hello', { reason: metric });
    channel.close(reason, code);
  }
}
