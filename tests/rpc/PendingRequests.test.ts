import { describe, expect, it } from 'vitest';
import { ErrorCode, PendingRequests, RemoteMediaError } from '@remotemedia/shared';

describe('PendingRequests: replies matched to requests by id', () => {
  it('resolves and rejects by numeric or string key; settling an unknown or settled key is a no-op', async () => {
    const byNumber = new PendingRequests<number, string>();
    const byString = new PendingRequests<string, string>();
    const one = byNumber.wait(1);
    const two = byString.wait('n1:2');
    expect(byNumber.resolve(1, 'first')).toBe(true);
    expect(byNumber.resolve(1, 'again')).toBe(false);
    expect(byNumber.reject(9, new Error('nobody'))).toBe(false);
    expect(byString.reject('n1:2', new Error('node failed'))).toBe(true);
    await expect(one).resolves.toBe('first');
    await expect(two).rejects.toThrow('node failed');
    expect(byNumber.size + byString.size).toBe(0);
  });

  it('a request past its own timeout fails with TIMEOUT naming it; one without a timeout waits', async () => {
    const pending = new PendingRequests<number, unknown>();
    const slow = pending.wait(1, { timeoutMs: 20, what: '"call" request' });
    const patient = pending.wait(2);
    const error = await slow.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteMediaError);
    expect((error as RemoteMediaError).code).toBe(ErrorCode.Timeout);
    expect((error as RemoteMediaError).message).toContain('"call" request got no answer within 20 ms');
    expect(pending.has(1)).toBe(false);
    expect(pending.has(2)).toBe(true);
    pending.resolve(2, 'late but answered');
    await expect(patient).resolves.toBe('late but answered');
  });

  it('rejectAll fails every request, with one error or one made from each request, and counts them', async () => {
    const pending = new PendingRequests<number, unknown, { method: string }>();
    const calls = [pending.wait(1, { meta: { method: 'add' } }), pending.wait(2, { meta: { method: 'divide' } })];
    expect(pending.rejectAll((id, meta) => new Error(`${meta.method} (${id}) lost`))).toBe(2);
    const messages = await Promise.all(calls.map((call) => call.catch((e: Error) => e.message)));
    expect(messages).toEqual(['add (1) lost', 'divide (2) lost']);
    const again = pending.wait(3);
    expect(pending.rejectAll(new Error('closed'))).toBe(1);
    await expect(again).rejects.toThrow('closed');
    expect(pending.rejectAll(new Error('closed'))).toBe(0);
  });

  it('keeps caller data readable until the request settles; the oldest request comes first', () => {
    const pending = new PendingRequests<number, unknown, { startedAt: number | undefined }>();
    void pending.wait(5, { meta: { startedAt: undefined } });
    void pending.wait(6, { meta: { startedAt: undefined } });
    const head = pending.oldest();
    expect(head?.key).toBe(5);
    head!.meta.startedAt = 1234;
    expect(pending.meta(5)).toEqual({ startedAt: 1234 });
    pending.resolve(5, 'done');
    expect(pending.meta(5)).toBeUndefined();
    expect(pending.oldest()?.key).toBe(6);
    pending.resolve(6, 'done');
    expect(pending.oldest()).toBeUndefined();
  });

  it('lists every pending request oldest first, and the list stays valid while they are settled', async () => {
    const pending = new PendingRequests<number, string, { body: string }>();
    const replies = [1, 2, 3].map((id) => pending.wait(id, { meta: { body: `request ${id}` } }));
    pending.resolve(2, 'answered early');
    const listed = pending.entries();
    expect(listed).toEqual([
      { key: 1, meta: { body: 'request 1' } },
      { key: 3, meta: { body: 'request 3' } },
    ]);
    for (const { key, meta } of listed) pending.resolve(key, `${meta.body} handed on`);
    expect(pending.entries()).toEqual([]);
    await expect(Promise.all(replies)).resolves.toEqual(['request 1 handed on', 'answered early', 'request 3 handed on']);
  });

  it('refuses to wait twice on a key that is still pending', () => {
    const pending = new PendingRequests<string, unknown>();
    void pending.wait('welcome');
    expect(() => pending.wait('welcome')).toThrow(RemoteMediaError);
    pending.resolve('welcome', {});
    expect(() => pending.wait('welcome')).not.toThrow();
  });
});
