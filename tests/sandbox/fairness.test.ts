import { describe, expect, it } from 'vitest';
import { ErrorCode } from '@remotemedia/shared/errors';
import { TenantQueues, shareRefusal } from '@remotemedia/edge-server/sandbox';

function drainOrder(queues: TenantQueues<string>): string[] {
  const order: string[] = [];
  for (let item = queues.shift(); item !== undefined; item = queues.shift()) order.push(item);
  return order;
}

describe('TenantQueues', () => {
  it('serves tenants in turn, each in its own order', () => {
    const queues = new TenantQueues<string>();
    for (let i = 1; i <= 3; i++) queues.push('a', `a${i}`);
    queues.push('b', 'b1');
    queues.push('b', 'b2');
    queues.push('c', 'c1');
    expect(queues.size).toBe(6);
    expect(drainOrder(queues)).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(queues.size).toBe(0);
  });

  it('lets a tenant that joins behind a busy one go next', () => {
    const queues = new TenantQueues<string>();
    for (let i = 1; i <= 5; i++) queues.push('busy', `busy${i}`);
    expect(queues.shift()).toBe('busy1');
    queues.push('newcomer', 'new1');
    expect(drainOrder(queues)).toEqual(['new1', 'busy2', 'busy3', 'busy4', 'busy5']);
  });
});

describe('the fair share of edge-wide sandboxes', () => {
  const share = { max: 128, fromPercent: 50 };

  /** Sessions arriving one after another, each deploying until refused or at its own cap of 16. */
  function greedy(sessions: number): number[] {
    const held: number[] = [];
    let used = 0;
    for (let s = 0; s < sessions; s++) {
      held.push(0);
      while (held[s]! < 16 && shareRefusal(share, used, held[s]!) === undefined) {
        held[s]!++;
        used++;
      }
    }
    return held;
  }

  it('leaves room for newcomers where 8 greedy sessions used to take all 128', () => {
    const held = greedy(8);
    expect(held).toEqual([16, 16, 16, 16, 16, 16, 11, 7]);
    expect(128 - held.reduce((a, b) => a + b, 0)).toBe(14);
    // A session holding nothing is admitted while any sandbox is free.
    expect(greedy(20).filter((n) => n > 0).length).toBe(14);
  });

  it('says why it refuses, and applies only the hard cap at 100%', () => {
    const refusal = shareRefusal(share, 100, 14);
    expect(refusal?.code).toBe(ErrorCode.TooManySandboxes);
    expect(refusal?.message).toContain('this edge has only 28 of its 128 sandboxes free and this session already holds 14');
    expect(shareRefusal(share, 100, 13)).toBeUndefined();
    expect(shareRefusal({ max: 128, fromPercent: 100 }, 127, 127)).toBeUndefined();
    expect(shareRefusal({ max: 128, fromPercent: 100 }, 128, 0)?.message).toContain('maximum of 128 sandboxes');
  });
});
