/**
 * One FIFO per tenant (a session), served round robin: each turn takes the oldest item of the tenant whose turn
 * it is, then that tenant goes to the back of the ring. A tenant that joins the ring is served before the tenant
 * served last gets another turn, so a tenant with many items queued delays another tenant's next item by at most
 * the one item of its own already running, however many it pipelines. Order within a tenant is kept, so calls
 * into one sandbox still run in the order they were made.
 */
export class TenantQueues<T> {
  /** Tenants with something queued, in turn order (a Map keeps insertion order; re-inserting moves to the back). */
  private readonly ring = new Map<string, T[]>();
  private count = 0;
  private lastServed: string | undefined;

  get size(): number {
    return this.count;
  }

  push(tenant: string, item: T): void {
    const queue = this.ring.get(tenant);
    if (queue === undefined) this.ring.set(tenant, [item]);
    else queue.push(item);
    this.count++;
  }

  /** The item shift() would return next, left in place. */
  peek(): T | undefined {
    return this.turn()?.[1][0];
  }

  /** The next item in turn, or undefined when nothing is queued. */
  shift(): T | undefined {
    const turn = this.turn();
    if (turn === undefined) return undefined;
    const [tenant, queue] = turn;
    this.lastServed = tenant;
    const item = queue.shift()!;
    this.ring.delete(tenant);
    if (queue.length > 0) this.ring.set(tenant, queue);
    this.count--;
    return item;
  }

  /** The tenant whose turn it is, with its queue. */
  private turn(): [string, T[]] | undefined {
    let turn: [string, T[]] | undefined;
    for (const entry of this.ring) {
      turn ??= entry;
      // The tenant served last sits at the front only when a newcomer queued behind it since: the newcomer first.
      if (entry[0] !== this.lastServed) {
        turn = entry;
        break;
      }
    }
    return turn;
  }

  /** Empties every queue and returns what was queued, tenant by tenant in turn order, each in its own order. */
  drain(): T[] {
    const items = [...this.ring.values()].flat();
    this.ring.clear();
    this.count = 0;
    return items;
  }
}
