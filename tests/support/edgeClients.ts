import { WebSocket } from 'ws';
import { ProtocolChannel, WebSocketChannel, parseEdgeMessage, type ClientMessage, type EdgeMessage, type WebSocketLike } from '@remotemedia/shared';
import { connect, packSources, type NodePackage, type RemoteNode, type RemoteSession } from '@remotemedia/browser-sdk/node';

/** A tiny stateful node: counts the items it processes. Data items (not frames) keep messages small. */
export const COUNTER_SOURCE = `
export class Counter {
  constructor(start) { this.count = start ?? 0; this.history = new Map(); }
  process(item) { this.count++; this.history.set(this.count, item.tag ?? null); return { count: this.count }; }
  add(n) { this.count += n; return this.count; }
  get() { return this.count; }
  alloc(mb) { this.keep = 'x'.repeat(mb * 1024 * 1024); return this.keep.length; }
  deep(n) { return n === 0 ? 0 : 1 + this.deep(n - 1); }
  spin() { for (;;) {} }
  slow(ms) { const end = Date.now() + ms; while (Date.now() < end) {} return ms; }
}
`;

export function packCounter(extra = ''): Promise<NodePackage> {
  return packSources({ sources: { 'counter.js': COUNTER_SOURCE + extra }, entry: 'counter.js', exportName: 'Counter' });
}

/** The counter with `process` busy for `ms` per item, so a burst finds it running and queues behind it. */
export function packBusyCounter(ms: number): Promise<NodePackage> {
  return packCounter(`
Counter.prototype.process = function (item) {
  const end = Date.now() + ${ms};
  while (Date.now() < end) {}
  this.count++;
  return { count: this.count };
};
`);
}

/** Keeps one client streaming items through its own node until stopped; reports every outcome. */
export async function startStreaming(
  url: string,
  options: { intervalMs?: number } = {},
): Promise<{
  session: RemoteSession;
  node: RemoteNode;
  stop(): Promise<{ ok: number; failed: string[] }>;
}> {
  const session = await connect(url, { transport: 'websocket', reconnect: false });
  const node = await session.deploy(await packCounter());
  let running = true;
  let ok = 0;
  const failed: string[] = [];
  const loop = (async () => {
    while (running) {
      try {
        await node.process({ tag: 'steady' });
        ok++;
      } catch (error) {
        failed.push(String((error as { code?: string }).code ?? error));
      }
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
    }
  })();
  return {
    session,
    node,
    async stop() {
      running = false;
      await loop;
      session.close();
      return { ok, failed };
    },
  };
}

/** A bare protocol client on /signal, for what the SDK does not expose (close codes, pre-upgrade refusals). */
export async function rawSignaling(
  url: string,
  query = '',
): Promise<{
  ws: WebSocket;
  channel: ProtocolChannel<EdgeMessage, ClientMessage>;
  next(type?: EdgeMessage['type']): Promise<EdgeMessage>;
  closed: Promise<{ code: number; reason: string }>;
}> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/signal${query}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const channel = new ProtocolChannel<EdgeMessage, ClientMessage>(new WebSocketChannel(ws as unknown as WebSocketLike), { parse: parseEdgeMessage });
  const inbox: EdgeMessage[] = [];
  const waiters: Array<() => void> = [];
  channel.on('message', (message) => {
    inbox.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  const next = async (type?: EdgeMessage['type']): Promise<EdgeMessage> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const index = inbox.findIndex((m) => type === undefined || m.type === type);
      if (index >= 0) return inbox.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no ${type ?? 'message'} within 10 s`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  return { ws, channel, next, closed };
}

/** An HTTP upgrade to /signal that expects to be refused: the status and body the edge sent. */
export function refusedUpgrade(url: string, headers: Record<string, string> = {}, query = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/signal${query}`, { headers });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

/** rawSignaling that has already said hello and got its welcome: a bare session. */
export async function rawSession(url: string): Promise<Awaited<ReturnType<typeof rawSignaling>>> {
  const raw = await rawSignaling(url);
  await raw.channel.send({ type: 'hello', sdkVersion: 'raw' });
  await raw.next('welcome');
  return raw;
}
