import { connect as connectTcp, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startStreaming } from '../support/edgeClients.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { openRawWebSocket, type RawWebSocket } from '../support/rawWebSocket.ts';

/**
 * Issue 15, item 7: 100 idle WebSocket connections that never said hello locked every new client out with
 * 503 for 10 s, and slowloris header tricklers were never closed. Now pre-hello connections have a pool of
 * their own (the oldest makes room for a newcomer) and a short hello deadline, and the HTTP server has
 * header and request timeouts that are actually checked.
 */
describe('regression: idle sockets that never say hello hold no capacity', () => {
  // maxSessions at its default (100) is what the 100 idle sockets used to exhaust; a long hello deadline so
  // that what frees the room here is the pending pool, not the deadline (on a loaded machine opening 100
  // sockets can take seconds).
  const edge = useEdge(['--sandbox-workers', '1', '--hello-timeout-ms', '60000']);

  it('lets a real client connect and stream past 100 idle pre-hello sockets, closing the oldest (1013)', async () => {
    const idle: RawWebSocket[] = [];
    try {
      for (let i = 0; i < 100; i++) idle.push(await openRawWebSocket(edge.url));
      const victim = await startStreaming(edge.url, { intervalMs: 10 });
      await victim.node.process({ tag: 'through' });
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
      // 32 may wait (maxPendingConnections); everything older made room: 68 for idlers, 1 for the client.
      const frames = await Promise.all(idle.slice(0, 69).map((socket) => socket.closeFrame));
      expect(new Set(frames.map((frame) => frame?.code))).toEqual(new Set([1013]));
      expect(frames[0]!.reason).toBe('32 connections were waiting to say hello; this one waited longest');
    } finally {
      for (const socket of idle) socket.socket.destroy();
    }
  });
});

describe('regression: a connection that does not say hello in time is closed', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--hello-timeout-ms', '300']);

  it('closes each silent connection with 1008 after helloTimeoutMs', async () => {
    const silent = await Promise.all(Array.from({ length: 5 }, () => openRawWebSocket(edge.url)));
    const frames = await Promise.all(silent.map((socket) => socket.closeFrame));
    expect(frames).toEqual(Array.from({ length: 5 }, () => ({ code: 1008, reason: 'no hello within 300 ms' })));
  });
});

describe('regression: slowloris header tricklers are cut off', () => {
  const edge = useEdge(['--sandbox-workers', '1', '--headers-timeout-ms', '400', '--request-timeout-ms', '2000']);

  it('closes every trickler (408) at the header timeout while a real client keeps streaming', async () => {
    const victim = await startStreaming(edge.url, { intervalMs: 10 });
    const { port } = new URL(edge.url);
    const tricklers = 50;
    let closed = 0;
    const answers: string[] = [];
    const sockets: Socket[] = [];
    const allClosed = new Promise<void>((resolve) => {
      for (let i = 0; i < tricklers; i++) {
        const socket = connectTcp({ host: '127.0.0.1', port: Number(port) });
        sockets.push(socket);
        let answer = '';
        socket.on('error', () => undefined);
        socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
        // One header byte every 50 ms after the request line, never the blank line that would end the
        // headers; at most 20 s of it.
        let drip: NodeJS.Timeout | undefined;
        socket.on('connect', () => {
          socket.write('GET /healthz HTTP/1.1\r\nHost: edge\r\nX-Slow: ');
          let sent = 0;
          drip = setInterval(() => {
            if (socket.destroyed || ++sent > 400) return clearInterval(drip);
            socket.write('z');
          }, 50);
        });
        socket.once('close', () => {
          clearInterval(drip);
          answers.push(answer.split('\r\n')[0] ?? '');
          if (++closed === tricklers) resolve();
        });
      }
    });
    try {
      await allClosed;
      expect(closed).toBe(tricklers);
      expect(new Set(answers)).toEqual(new Set(['HTTP/1.1 408 Request Timeout']));
      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
      const { ok, failed } = await victim.stop();
      expect(failed).toEqual([]);
      expect(ok).toBeGreaterThan(0);
    }
  });
});
