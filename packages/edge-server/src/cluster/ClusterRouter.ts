import type { ClusterRegistry } from './ClusterRegistry.ts';
import type { EdgeEntry } from './EdgeEntry.ts';

/**
 * Where new clients go: the live, non-draining edge with the fewest sessions (then fewest sandboxes, then
 * least busy). This edge serves a client itself unless another edge has strictly fewer sessions than it
 * holds right now. Clients sent elsewhere since the last refresh are added to their target's count, so a
 * burst of connects spreads over the edges instead of all landing on the one that was least loaded a beat ago.
 */
export class ClusterRouter {
  private readonly registry: ClusterRegistry;
  private readonly ownSessions: () => number;
  private sent = new Map<string, number>();
  private sentFor = 0;

  constructor(registry: ClusterRegistry, ownSessions: () => number) {
    this.registry = registry;
    this.ownSessions = ownSessions;
  }

  /** The URL to send a new client to, or undefined to serve it here. */
  forNewClient(): string | undefined {
    const best = this.leastLoaded();
    if (best === undefined || best.sessions + this.sentTo(best.id) >= this.ownSessions()) return undefined;
    this.count(best.id);
    return best.url;
  }

  /** Where a draining edge moves a session: the least loaded other edge, or undefined when there is none. */
  forMigration(): string | undefined {
    const best = this.leastLoaded();
    if (best === undefined) return undefined;
    this.count(best.id);
    return best.url;
  }

  /** For /status: where a new client would be sent now (this edge's own URL when it would serve it). */
  describe(): { target: string; edges: readonly EdgeEntry[] } {
    const self = this.registry.edges().find((edge) => edge.id === this.registry.edgeId);
    const best = this.leastLoaded();
    const sendsAway = best !== undefined && best.sessions + this.sentTo(best.id) < this.ownSessions();
    return { target: sendsAway ? best.url : (self?.url ?? 'this edge'), edges: this.registry.edges() };
  }

  private leastLoaded(): EdgeEntry | undefined {
    let best: EdgeEntry | undefined;
    let bestScore: readonly number[] = [];
    for (const edge of this.registry.edges()) {
      if (edge.id === this.registry.edgeId || edge.draining) continue;
      const score = [edge.sessions + this.sentTo(edge.id), edge.sandboxes, edge.busy];
      if (best === undefined || lessThan(score, bestScore)) {
        best = edge;
        bestScore = score;
      }
    }
    return best;
  }

  private sentTo(id: string): number {
    if (this.sentFor !== this.registry.refreshedAt) {
      this.sent = new Map();
      this.sentFor = this.registry.refreshedAt;
    }
    return this.sent.get(id) ?? 0;
  }

  private count(id: string): void {
    this.sent.set(id, this.sentTo(id) + 1);
  }
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
