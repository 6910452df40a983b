import type { ClusterRegistry } from './ClusterRegistry.ts';
import type { EdgeEntry } from './EdgeEntry.ts';

/**
 * Where new clients go: the live, non-draining edge with the fewest sessions (then fewest sandboxes, then
 * least busy). This edge serves a client itself unless another edge has strictly fewer sessions than it
 * holds right now. Clients sent elsewhere are added to their target's count until a beat of that target
 * taken well after the redirect (ARRIVAL_GRACE_MS) has had time to count them itself, so a burst of connects
 * spreads over the edges instead of all landing on the one that was least loaded a beat ago.
 */
/**
 * How long after a redirect the target's beat is trusted to include that client: the client still has to open
 * its connection there (a beat taken in between would not count it, and dropping it then would send the next
 * client the same way). Longer only overcounts briefly; edges' clocks are assumed within this of each other.
 */
const ARRIVAL_GRACE_MS = 1000;

export class ClusterRouter {
  private readonly registry: ClusterRegistry;
  private readonly ownSessions: () => number;
  /** When this edge sent clients to each other edge (ms), until that edge's own beats count them. */
  private readonly sent = new Map<string, number[]>();

  constructor(registry: ClusterRegistry, ownSessions: () => number) {
    this.registry = registry;
    this.ownSessions = ownSessions;
  }

  /** The URL to send a new client to, or undefined to serve it here. */
  forNewClient(): string | undefined {
    const best = this.leastLoaded();
    if (best === undefined || best.sessions + this.sentTo(best) >= this.ownSessions()) return undefined;
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
    const sendsAway = best !== undefined && best.sessions + this.sentTo(best) < this.ownSessions();
    return { target: sendsAway ? best.url : (self?.url ?? 'this edge'), edges: this.registry.edges() };
  }

  private leastLoaded(): EdgeEntry | undefined {
    let best: EdgeEntry | undefined;
    let bestScore: readonly number[] = [];
    for (const edge of this.registry.edges()) {
      if (edge.id === this.registry.edgeId || edge.draining) continue;
      const score = [edge.sessions + this.sentTo(edge), edge.sandboxes, edge.busy];
      if (best === undefined || lessThan(score, bestScore)) {
        best = edge;
        bestScore = score;
      }
    }
    return best;
  }

  /** Clients sent to `edge` that its latest beat may not count yet. */
  private sentTo(edge: EdgeEntry): number {
    const times = this.sent.get(edge.id);
    if (times === undefined) return 0;
    const pending = times.filter((at) => at > edge.beatAt - ARRIVAL_GRACE_MS);
    if (pending.length === 0) this.sent.delete(edge.id);
    else this.sent.set(edge.id, pending);
    return pending.length;
  }

  private count(id: string): void {
    this.sent.set(id, [...(this.sent.get(id) ?? []), Date.now()]);
  }
}

function lessThan(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) return a[i]! < b[i]!;
  }
  return false;
}
