import { Redis } from 'ioredis';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared';
import type { Logger } from '../log/Logger.ts';
import type { ClusterMetrics } from './ClusterMetrics.ts';
import { redactRedisUrl } from './redisUrl.ts';

/** Time one Redis command may take before it counts as failed (the edge then treats Redis as unreachable for it). */
const COMMAND_TIMEOUT_MS = 2000;
/** Time the first connection may take at start; longer and the edge refuses to start in cluster mode. */
const CONNECT_TIMEOUT_MS = 3000;
/** Reconnect delays grow by this per attempt up to the cap, so a Redis restart is noticed within a second. */
const RECONNECT_STEP_MS = 100;
const RECONNECT_MAX_MS = 1000;

export interface RedisLinkOptions {
  /** May carry a password: only its redacted form is ever logged or shown. */
  url: string;
  log: Logger;
  metrics: ClusterMetrics;
}

/**
 * The edge's one connection to Redis. Commands never wait in an offline queue: while Redis is unreachable
 * they fail at once with CLUSTER_UNAVAILABLE, so callers can refuse cluster-only work with a clear error and
 * keep serving what they hold. ioredis reconnects on its own; `up` follows the connection.
 */
export class RedisLink {
  readonly shownUrl: string;
  private readonly client: Redis;
  private readonly options: RedisLinkOptions;
  private upValue = false;
  private lastProblem: string | undefined;
  private connections = 0;

  constructor(options: RedisLinkOptions) {
    this.options = options;
    this.shownUrl = redactRedisUrl(options.url);
    this.client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS),
    });
    this.client.on('ready', () => {
      if (!this.upValue) options.log.info('redis connected', { redis: this.shownUrl });
      this.upValue = true;
      this.connections++;
      this.lastProblem = undefined;
    });
    this.client.on('close', () => {
      if (this.upValue) options.log.warn('redis connection lost; cluster-only work is refused until it returns', { redis: this.shownUrl });
      this.upValue = false;
    });
    // Every reconnect attempt that fails is an 'error': counted, but logged once per distinct problem.
    this.client.on('error', (error: Error) => {
      options.metrics.redisError();
      const problem = error.message;
      if (problem !== this.lastProblem) options.log.warn('redis error', { redis: this.shownUrl, error: problem });
      this.lastProblem = problem;
    });
  }

  /** True while the connection is ready for commands. */
  get up(): boolean {
    return this.upValue;
  }

  /**
   * Counts connections made: what was written before a reconnect may be gone (a Redis restarted without
   * persistence), so a cache of "already stored" is only good for the connection it was filled on.
   */
  get connection(): number {
    return this.connections;
  }

  /** The first connection; rejects (naming the redacted URL) when Redis cannot be reached. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      this.client.disconnect();
      throw new RemoteMediaError(ErrorCode.ClusterUnavailable, `could not reach Redis at ${this.shownUrl}: ${(error as Error).message}`);
    }
  }

  /** Runs commands; any failure (Redis down, timeout, error reply) becomes CLUSTER_UNAVAILABLE naming `what`. */
  async run<T>(what: string, work: (client: Redis) => Promise<T>): Promise<T> {
    if (!this.upValue) throw this.unavailable(what);
    try {
      return await work(this.client);
    } catch (error) {
      this.options.metrics.redisError();
      throw this.unavailable(what, error);
    }
  }

  /**
   * A string value, or undefined when the key does not exist. Data read back from Redis is as untrusted as a
   * client's: its length is checked before it is fetched, so a planted huge value costs one STRLEN.
   */
  async getBounded(what: string, key: string, maxBytes: number): Promise<string | undefined> {
    return this.run(what, async (client) => {
      const length = await client.strlen(key);
      if (length === 0) return undefined;
      if (length > maxBytes) throw new Error(`the stored value is ${length} bytes, over the bound of ${maxBytes}`);
      return (await client.get(key)) ?? undefined;
    });
  }

  /** Leaves cleanly (QUIT) when connected, else just stops reconnecting. */
  async close(): Promise<void> {
    if (this.upValue) await this.client.quit().catch(() => undefined);
    this.client.disconnect();
    this.upValue = false;
  }

  unavailable(what: string, cause?: unknown): RemoteMediaError {
    const detail = cause instanceof Error ? ` (${cause.message})` : '';
    return new RemoteMediaError(
      ErrorCode.ClusterUnavailable,
      `${what} needs the cluster store (Redis at ${this.shownUrl}), which this edge cannot use right now${detail}; retry shortly`,
      { retryable: true },
    );
  }
}
