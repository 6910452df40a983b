// One contract for every transport the edge speaks: the same behaviours, asserted the same way, over the
// WebSocket and over a werift data channel, against a real edge process. A new transport joins TRANSPORTS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packSources } from '@remotemedia/browser-sdk/node';
import { ErrorCode, RemoteMediaError } from '@remotemedia/shared/errors';
import { createVideoFrame, type VideoFrameData } from '@remotemedia/shared/frames';
import type { EdgeMessage, NodePackage, TransportKind } from '@remotemedia/shared/protocol';
import { useEdge } from '../support/edgeProcess.ts';
import { prng } from '../support/prng.ts';
import { openProtocolClient, type ProtocolClient } from './protocolClient.ts';

const TRANSPORTS: readonly TransportKind[] = ['websocket', 'datachannel'];

const JOURNAL = `export class Journal {
  constructor() { this.entries = []; }
  push(value) { this.entries.push(value); return this.entries.length; }
  list() { return this.entries; }
  fail(reason) { throw new RangeError('refused: ' + reason); }
  process(frame) { return frame; }
}`;

/** The largest frame the edge accepts by default (1920x1080 RGBA), in a pattern no two chunks share. */
function largestFrame(seed: number): VideoFrameData {
  const next = prng(seed);
  const data = new Uint8Array(1920 * 1080 * 4);
  for (let i = 0; i < data.length; i++) data[i] = next() & 0xff;
  return createVideoFrame({ width: 1920, height: 1080, format: 'rgba', data });
}

async function rejection(promise: Promise<unknown>): Promise<RemoteMediaError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteMediaError);
  return error as RemoteMediaError;
}

const isReply = (id: number) => (m: EdgeMessage) => (m.type === 'reply' || m.type === 'error') && m.id === id;
const isFrameAnswer = (nodeId: string, seq: number) => (m: EdgeMessage) =>
  (m.type === 'output' || m.type === 'error' || m.type === 'dropped') && m.nodeId === nodeId && m.seq === seq;

describe.each(TRANSPORTS)('transport contract over the %s', (transport) => {
  const edge = useEdge(['--sandbox-workers', '1']);
  let pkg: NodePackage;
  let client: ProtocolClient;
  let nextId = 1;
  let nextNode = 1;

  /** Deploys a fresh Journal and returns its node id. */
  async function deployJournal(on: ProtocolClient = client): Promise<string> {
    const id = nextId++;
    const nodeId = `j${nextNode++}`;
    await on.channel.send({ type: 'deploy', id, nodeId, packageId: pkg.id, pkg, ctorArgs: [] });
    const answer = await on.next(isReply(id), `deploy reply ${id}`);
    expect(answer).toMatchObject({ type: 'reply', value: { nodeName: 'Journal' } });
    return nodeId;
  }

  beforeAll(async () => {
    pkg = await packSources({ sources: { 'journal.js': JOURNAL }, entry: 'journal.js', exportName: 'Journal' });
    client = await openProtocolClient(edge.url, transport);
    expect(client.channel.kind).toBe(transport);
  });
  afterAll(() => client?.close());

  it('delivers messages in the order they were sent and answers each under its own id', async () => {
    const nodeId = await deployJournal();
    const ids = Array.from({ length: 50 }, () => nextId++);
    await Promise.all(ids.map((id, i) => client.channel.send({ type: 'call', id, nodeId, method: 'push', args: [i] })));
    const replies = await Promise.all(ids.map((id) => client.next(isReply(id), `reply ${id}`)));
    expect(replies.map((r) => (r.type === 'reply' ? r.value : r))).toEqual(ids.map((_, i) => i + 1));
    const listId = nextId++;
    await client.channel.send({ type: 'call', id: listId, nodeId, method: 'list', args: [] });
    expect(await client.next(isReply(listId), 'list reply')).toMatchObject({ value: ids.map((_, i) => i) });
  });

  it('splits a message larger than one chunk and the other side reassembles it byte-exact', async () => {
    const nodeId = await deployJournal();
    const frame = largestFrame(1);
    const before = client.link.sent.length;
    await client.channel.send({ type: 'frame', nodeId, seq: 1, item: frame }, 'media');
    const chunks = client.link.sent.slice(before);
    const maxChunk = client.welcome.limits.maxChunkBytes;
    expect(chunks.length).toBeGreaterThan(frame.data.byteLength / maxChunk);
    expect(new Set(chunks.map((c) => c.messageId)).size).toBe(1);
    expect(chunks.map((c) => c.chunkIndex)).toEqual(chunks.map((_, i) => i));

    const answer = await client.next(isFrameAnswer(nodeId, 1), 'output for seq 1');
    expect(answer.type).toBe('output');
    const [out] = answer.type === 'output' ? answer.items : [];
    const back = out as VideoFrameData;
    expect({ width: back.width, height: back.height, format: back.format }).toEqual({ width: 1920, height: 1080, format: 'rgba' });
    expect(back.data.byteLength).toBe(frame.data.byteLength);
    expect(Buffer.compare(back.data, frame.data)).toBe(0);
  });

  it('on a congested link, sends control messages ahead of a frame still queued, and their replies come first', async () => {
    const nodeId = await deployJournal();
    const before = client.link.sent.length;
    client.link.hold();
    const frameSent = client.channel.send({ type: 'frame', nodeId, seq: 7, item: largestFrame(2) }, 'media');
    const callId = nextId++;
    const callSent = client.channel.send({ type: 'call', id: callId, nodeId, method: 'push', args: ['urgent'] });
    client.link.release();
    await Promise.all([frameSent, callSent]);

    const chunks = client.link.sent.slice(before);
    const frameId = chunks[0]!.messageId;
    const lastFrameChunk = chunks.findLastIndex((c) => c.messageId === frameId);
    const callChunk = chunks.findIndex((c) => c.messageId !== frameId);
    expect(chunks[callChunk]!.chunkCount).toBe(1);
    expect(callChunk).toBeGreaterThan(0);
    expect(callChunk).toBeLessThan(lastFrameChunk);

    const reply = await client.next(isReply(callId), 'reply to the urgent call');
    expect(reply).toMatchObject({ type: 'reply', value: 1 });
    await client.next(isFrameAnswer(nodeId, 7), 'output for seq 7');
    const order = client.received();
    expect(order.indexOf(reply)).toBeLessThan(order.findIndex(isFrameAnswer(nodeId, 7)));
  });

  it('rejects sends still queued when the connection closes, typed, and the edge serves the next client', async () => {
    const own = await openProtocolClient(edge.url, transport);
    const nodeId = await deployJournal(own);
    own.link.hold();
    const queued = own.channel.send({ type: 'frame', nodeId, seq: 1, item: largestFrame(3) }, 'media');
    own.close();
    const error = await rejection(queued);
    expect(error.code).toBe(ErrorCode.ConnectionClosed);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/closed before the message was sent/);
    const after = await rejection(own.channel.send({ type: 'ping', id: 1, t: 0 }));
    expect(after.code).toBe(ErrorCode.ConnectionClosed);

    const next = await openProtocolClient(edge.url, transport);
    try {
      const id = nextId++;
      await next.channel.send({ type: 'ping', id, t: 42 });
      expect(await next.next((m) => m.type === 'pong' && m.id === id, 'pong')).toMatchObject({ t: 42 });
      expect(edge.process.exitCode).toBeNull();
    } finally {
      next.close();
    }
  });

  it('reports failures as typed errors with codes and messages, on the channel the request came on', async () => {
    const nodeId = await deployJournal();
    const failId = nextId++;
    await client.channel.send({ type: 'call', id: failId, nodeId, method: 'fail', args: ['because'] });
    expect(await client.next(isReply(failId), 'error for fail()')).toMatchObject({
      type: 'error',
      error: { code: ErrorCode.UserError, name: 'RangeError', message: 'refused: because' },
    });

    const missingId = nextId++;
    await client.channel.send({ type: 'call', id: missingId, nodeId: 'no-such-node', method: 'list', args: [] });
    const missing = await client.next(isReply(missingId), 'error for an unknown node');
    expect(missing).toMatchObject({ type: 'error', error: { code: ErrorCode.UnknownNodeInstance } });
    expect(missing.type === 'error' && missing.error.message).toContain('no-such-node');

    const oversized = createVideoFrame({ width: 1921, height: 1080, format: 'rgba', data: new Uint8Array(1921 * 1080 * 4) });
    await client.channel.send({ type: 'frame', nodeId, seq: 99, item: oversized }, 'media');
    expect(await client.next(isFrameAnswer(nodeId, 99), 'answer to an oversized frame')).toMatchObject({
      type: 'error',
      error: { code: ErrorCode.FrameTooLarge },
    });

    const sentBefore = client.link.sent.length;
    const tooBig = new Uint8Array(client.welcome.limits.maxMessageBytes + 1);
    const refused = await rejection(client.channel.send({ type: 'call', id: nextId++, nodeId, method: 'push', args: [tooBig] }));
    expect(refused.code).toBe(ErrorCode.MessageTooLarge);
    expect(client.link.sent.length).toBe(sentBefore);
  });
});
