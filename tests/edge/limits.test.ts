import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createVideoFrame, type RemoteSession } from '@remotemedia/browser-sdk/node';
import type { EdgeMessage } from '@remotemedia/shared';
import { startEdge, type EdgeProcess, useEdge } from '../support/edgeProcess.ts';
import { packCounter, rawSignaling, startStreaming } from '../support/edgeClients.ts';

type Streamer = Awaited<ReturnType<typeof startStreaming>>;

function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

describe('per-session limits on one edge, each hit by one client while another keeps streaming', () => {
  let edge: EdgeProcess;
  let bystander: Streamer;
  let session: RemoteSession;

  beforeAll(async () => {
    edge = await startEdge([
      '--sandbox-workers',
      '2',
      '--max-frame-bytes',
      '65536',
      '--max-message-bytes',
      '1048576',
      '--max-package-bytes',
      '4096',
      '--max-sandboxes-per-session',
      '2',
      '--sandbox-memory-mb',
      '16',
      '--sandbox-stack-kb',
      '64',
      '--sandbox-call-timeout-ms',
      '200',
    ]);
    bystander = await startStreaming(edge.url);
  });

  afterAll(async () => {
    session?.close();
    const { ok, failed } = await bystander.stop();
    // The other client's stream went on the whole time, untouched by every limit hit here.
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(5);
    await edge?.stop();
  });

  beforeAll(async () => {
    session = await connect(edge.url, { transport: 'websocket', reconnect: false, requestTimeoutMs: 4000 });
  });

  it('answers a frame over maxFrameBytes with FRAME_TOO_LARGE for that frame (seq), and the session goes on', async () => {
    // A client that ignores the limits (not the SDK): the edge refuses the frame by its seq.
    const raw = await rawSignaling(edge.url);
    await raw.channel.send({ type: 'hello', sdkVersion: 'raw' });
    await raw.next('welcome');
    const pkg = await packCounter();
    await raw.channel.send({ type: 'deploy', id: 1, nodeId: 'c', packageId: pkg.id, pkg, ctorArgs: [] });
    expect((await raw.next('reply')).type).toBe('reply');
    const frame = createVideoFrame({ width: 320, height: 240, format: 'rgba', timestamp: 0 });
    await raw.channel.send({ type: 'frame', nodeId: 'c', seq: 1, item: frame });
    const refused = (await raw.next('error')) as Extract<EdgeMessage, { type: 'error' }>;
    expect([refused.nodeId, refused.seq, refused.error.code]).toEqual(['c', 1, 'FRAME_TOO_LARGE']);
    expect(refused.error.message).toContain('this edge accepts frames up to 65536 bytes');
    await raw.channel.send({ type: 'frame', nodeId: 'c', seq: 2, item: { tag: 'after' } });
    const output = (await raw.next('output')) as Extract<EdgeMessage, { type: 'output' }>;
    expect([output.seq, output.items]).toEqual([2, [{ count: 1 }]]);
    raw.ws.close();

    // The SDK learns the edge's limits from `welcome` and refuses the same frame before sending it.
    const node = await session.deploy(pkg);
    const error = await node.process(frame).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('FRAME_TOO_LARGE');
    expect((error as Error).message).toContain('this edge accepts frames up to 65536 bytes');
    const [out] = await node.process({ tag: 'after' });
    expect(out).toEqual({ count: 1 });
    await node.dispose();
  });

  it('reports a message over maxMessageBytes as MESSAGE_TOO_LARGE', async () => {
    // The edge cannot decode an oversized message, so it cannot name the request: a session-level error.
    const raw = await rawSignaling(edge.url);
    await raw.channel.send({ type: 'hello', sdkVersion: 'raw' });
    await raw.next('welcome');
    await raw.channel.send({ type: 'frame', nodeId: 'none', seq: 1, item: { blob: new Uint8Array(2 * 1024 * 1024) } });
    const refused = (await raw.next('error')) as Extract<EdgeMessage, { type: 'error' }>;
    expect(refused.error.code).toBe('MESSAGE_TOO_LARGE');
    expect(refused.seq).toBeUndefined();
    await raw.channel.send({ type: 'ping', id: 7, t: 1 });
    expect(((await raw.next('pong')) as Extract<EdgeMessage, { type: 'pong' }>).id).toBe(7);
    raw.ws.close();

    // Through the SDK the same item fails at once, typed, instead of timing out.
    const node = await session.deploy(await packCounter());
    const result = await node.process({ blob: new Uint8Array(2 * 1024 * 1024) }).catch((e: unknown) => e);
    expect(codeOf(result)).toBe('MESSAGE_TOO_LARGE');
    expect(await node.call('get')).toBe(0);
    await node.dispose();
  });

  it('refuses a package over maxPackageBytes with PACKAGE_TOO_LARGE', async () => {
    const big = await packCounter(`\n// ${'padding '.repeat(1000)}\n`);
    const error = await session.deploy(big).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('PACKAGE_TOO_LARGE');
    expect((error as Error).message).toContain('over the limit of 4096 bytes');
  });

  it('refuses a sandbox beyond maxSandboxesPerSession with TOO_MANY_SANDBOXES until one is disposed', async () => {
    const pkg = await packCounter();
    const first = await session.deploy(pkg);
    await session.deploy(pkg);
    const error = await session.deploy(pkg).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('TOO_MANY_SANDBOXES');
    expect((error as Error).message).toContain('already holds 2 sandboxed nodes');
    await first.dispose();
    const third = await session.deploy(pkg);
    expect(await third.call('add', 2)).toBe(2);
    for (const node of session.nodes.values()) await node.dispose();
  });

  it('applies the configured sandbox time, memory and stack limits (each would pass at the defaults)', async () => {
    const pkg = await packCounter();
    const spinner = await session.deploy(pkg);
    const timeout = await spinner.call('spin').catch((e: unknown) => e);
    expect(codeOf(timeout)).toBe('SANDBOX_TIMEOUT');
    // The configured limit, not the 1000 ms default, stopped it.
    expect((timeout as Error).message).toContain('within 200 ms');
    await spinner.dispose();

    const hog = await session.deploy(pkg);
    expect(await hog.call('alloc', 1)).toBe(1024 * 1024);
    expect(codeOf(await hog.call('alloc', 8).catch((e: unknown) => e))).toBe('SANDBOX_OUT_OF_MEMORY');
    await hog.dispose();

    const deep = await session.deploy(pkg);
    expect(codeOf(await deep.call('deep', 500).catch((e: unknown) => e))).toBe('SANDBOX_STACK_OVERFLOW');
    await deep.dispose();
  });
});

describe('messages per second per session', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--messages-per-second', '20']);

  it('answers messages over the budget with RATE_LIMITED (frames by seq), so every frame is accounted for', async () => {
    const bystander = await startStreaming(edge.url, { intervalMs: 100 });
    const session = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const node = await session.deploy(await packCounter());
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => node.process({ tag: i })));
      const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
      const limited = outcomes.filter((o) => o.status === 'rejected' && codeOf(o.reason) === 'RATE_LIMITED');
      // Of the frames within the budget, those arriving faster than the node drains are dropped (queue of 2), or, on
      // a loaded machine, skipped once they waited past the frame deadline.
      const dropped = outcomes.filter((o) => o.status === 'rejected' && ['FRAME_DROPPED', 'FRAME_EXPIRED'].includes(codeOf(o.reason) ?? '')).length;
      expect(ok + dropped + limited.length).toBe(60);
      expect(limited.length).toBeGreaterThanOrEqual(35);
      expect(ok).toBeGreaterThanOrEqual(2);
      expect(((limited[0] as PromiseRejectedResult).reason as Error).message).toContain('more than 20 messages in a second');
      expect((limited[0] as PromiseRejectedResult).reason).toMatchObject({ retryable: true });
      const stats = session.stats();
      expect(stats.framesSent).toBe(60);
      expect(stats.framesReceived + stats.framesFailed + stats.framesDroppedByEdge + stats.framesSkippedByDeadline).toBe(60);
      expect(stats.framesFailed).toBe(limited.length);
      // The budget refills: after a pause the client is served again.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await node.call('get')).toBe(ok);
    } finally {
      session.close();
      const { ok, failed } = await bystander.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(10);
    }
  }, 20_000);
});

describe('max sessions', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--max-sessions', '2', '--session-grace-ms', '0']);

  it('refuses a session beyond maxSessions with TOO_MANY_SESSIONS and close code 1013; readyz says why', async () => {
    const bystander = await startStreaming(edge.url);
    const second = await connect(edge.url, { transport: 'websocket', reconnect: false });
    try {
      const ready = await fetch(`${edge.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, reason: 'at maxSessions (2)' });

      const raw = await rawSignaling(edge.url);
      await raw.channel.send({ type: 'hello', sdkVersion: 'test' });
      const refusal = await raw.next('error');
      expect(refusal).toMatchObject({ type: 'error', error: { code: 'TOO_MANY_SESSIONS', retryable: true } });
      expect((refusal as { error: { message: string } }).error.message).toContain('maximum of 2 sessions');
      expect((await raw.closed).code).toBe(1013);

      const viaSdk = await connect(edge.url, { transport: 'websocket', reconnect: false }).catch((e: unknown) => e);
      expect(viaSdk).toMatchObject({ code: 'TOO_MANY_SESSIONS', message: expect.stringContaining('maximum of 2 sessions') });

      // A freed slot is usable again (no grace period configured here).
      second.close();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await fetch(`${edge.url}/readyz`)).status).toBe(200);
      const third = await connect(edge.url, { transport: 'websocket', reconnect: false });
      expect(third.sessionId).toBeDefined();
      third.close();
      // The bystander's session went on through all of it (counted, not timed: a refusal is quick now).
      await bystander.node.process({ tag: 'last' });
    } finally {
      second.close();
      const { ok, failed } = await bystander.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  });
});
