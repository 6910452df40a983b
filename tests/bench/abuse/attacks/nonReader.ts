import type { Socket } from 'node:net';
import { PROTOCOL_VERSION, encodeMessage, splitMessage } from '@remotemedia/shared';
import { rawSignaling } from '../../../support/edgeClients.ts';
import type { Attack, AttackContext } from '../Attack.ts';

/**
 * A session that, once the returned loop runs, asks for the node catalogue (a reply of several KB) ~3,000
 * times a second and never reads a byte back.
 */
async function nonReadingSession(context: AttackContext): Promise<() => Promise<void>> {
  const client = await rawSignaling(context.url);
  client.ws.on('error', () => undefined);
  await client.channel.send({ type: 'hello', sdkVersion: '0.1.0' });
  await client.next('welcome');
  // The kernel's receive buffer fills, then the edge's socket buffer, then whatever the edge queues in memory.
  (client.ws as unknown as { _socket: Socket })._socket.pause();
  let closed = false;
  client.ws.once('close', () => (closed = true));
  return async () => {
    let id = 1;
    while (!closed && !context.signal.aborted) {
      for (let i = 0; i < 30; i++) client.ws.send(requestBytes(id++));
      context.count('requests sent', 30);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (closed) context.count('closed by edge');
    client.ws.terminate();
  };
}

/** One chunk, sent below the channel's flow control: the attacker does not wait for anything. */
function requestBytes(id: number): Uint8Array {
  return splitMessage(1_000_000 + id, encodeMessage({ v: PROTOCOL_VERSION, type: 'list-nodes', id }))[0]!;
}

export const nonReader: Attack = {
  name: 'send-queue-non-reader',
  what: '2 sessions request the node catalogue ~3,000 times/s each and never read their socket',
  sandboxes: 0,
  connections: 2,
  async run(context) {
    const loops = await Promise.all([nonReadingSession(context), nonReadingSession(context)]);
    context.ready();
    await Promise.all(loops.map((loop) => loop()));
  },
};
