import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Logger } from '../log/Logger.ts';
import { type EdgeEntry, MAX_ENTRY_BYTES, parseEdgeEntry } from './EdgeEntry.ts';
import type { RedisLink } from './RedisLink.ts';

/** How often an edge refreshes its entry; it expires after EXPIRY_BEATS missed beats. */
export const DEFAULT_CLUSTER_HEARTBEAT_MS = 1000;
const EXPIRY_BEATS = 3;
/** Edges read per refresh at most: the set is ours, but what Redis holds is bounded before it is trusted. */
const MAX_EDGES = 256;

const EDGES_KEY = 'rm:edges';
const entryKey = (id: string): string => `rm:edge:${id}`;

export interface ClusterRegistryOptions {
  link: RedisLink;
  edgeId: string;
  version: string;
  /** The URL clients should use for this edge (read at each beat: known only once listening). */
  url(): string;
  load(): { sessions: number; sandboxes: number };
  heartbeatMs: number;
  log: Logger;
}

/**
 * This edge's entry in Redis and its view of the others. Each beat writes the entry with an expiry of three
 * beats (an edge killed with -9 disappears by itself) and reads every live entry back. Leaving deletes the
 * entry at once. While Redis is unreachable the view keeps the last entries read, marked stale.
 */
export class ClusterRegistry {
  private readonly options: ClusterRegistryOptions;
  private timer: NodeJS.Timeout | undefined;
  private view: EdgeEntry[] = [];
  private viewAt = 0;
  private drainingValue = false;
  private utilization: EventLoopUtilization = performance.eventLoopUtilization();
  private beating: Promise<void> | undefined;

  constructor(options: ClusterRegistryOptions) {
    this.options = options;
  }

  get edgeId(): string {
    return this.options.edgeId;
  }

  /** Every live edge (this one included) as of the last beat. */
  edges(): readonly EdgeEntry[] {
    return this.view;
  }

  /** Epoch ms of the last successful refresh (0: none yet). */
  get refreshedAt(): number {
    return this.viewAt;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.timer.unref();
  }

  /** From now on the entry says draining (other edges stop sending clients here); written at once. */
  async markDraining(): Promise<void> {
    this.drainingValue = true;
    await this.beat();
  }

  /** Stops beating and deletes the entry, so other edges stop routing here at once. */
  async leave(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    const { link, edgeId } = this.options;
    await link
      .run('leaving the cluster', (client) => client.multi().del(entryKey(edgeId)).srem(EDGES_KEY, edgeId).exec())
      .catch((error: unknown) => this.options.log.warn('could not leave the cluster registry', { error: String(error) }));
  }

  /** One heartbeat: write ours, read all. Never throws: a failed beat leaves the last view in place. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    const { link, edgeId, heartbeatMs } = this.options;
    const entry = this.entry();
    try {
      const ids = await link.run('the cluster heartbeat', async (client) => {
        await client
          .multi()
          .set(entryKey(edgeId), JSON.stringify(entry), 'PX', heartbeatMs * EXPIRY_BEATS)
          .sadd(EDGES_KEY, edgeId)
          .exec();
        return client.srandmember(EDGES_KEY, MAX_EDGES);
      });
      const texts = ids.length > 0 ? await link.run('reading the cluster registry', (client) => client.mget(ids.map(entryKey))) : [];
      const live: EdgeEntry[] = [];
      const gone: string[] = [];
      texts.forEach((text, i) => {
        const parsed = text !== null && text.length <= MAX_ENTRY_BYTES ? parseEdgeEntry(text) : undefined;
        if (parsed !== undefined && parsed.id === ids[i]) live.push(parsed);
        else if (text === null) gone.push(ids[i]!);
      });
      // Expired entries (edges that died) leave the set here, by whichever edge notices first.
      if (gone.length > 0) await link.run('pruning the cluster registry', (client) => client.srem(EDGES_KEY, ...gone)).catch(() => undefined);
      this.view = live.sort((a, b) => a.id.localeCompare(b.id));
      this.viewAt = Date.now();
    } catch {
      // RedisLink counted and logged it; the view stays as it was.
    }
  }

  private entry(): EdgeEntry {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, this.utilization).utilization;
    this.utilization = now;
    return {
      id: this.options.edgeId,
      url: this.options.url(),
      version: this.options.version,
      ...this.options.load(),
      busy: Number.isFinite(busy) ? Math.min(1, Math.max(0, Math.round(busy * 1000) / 1000)) : 0,
      draining: this.drainingValue,
      beatAt: Date.now(),
    };
  }
}
