import { CHUNK_HEADER_BYTES, PROTOCOL_VERSION, encodeMessage, splitMessage } from '@remotemedia/shared';
import { MALFORMED_MSGPACK } from '../../../adversarial/malformedMsgpack.ts';
import { rawSignaling } from '../../../support/edgeClients.ts';
import { prng } from '../../../support/prng.ts';
import type { Attack, AttackContext } from '../Attack.ts';

type Random = () => number;

/** A chunk whose header fields are written as given, consistent or not. */
function chunk(fields: { format?: number; messageId: number; index: number; count: number; total: number }, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER_BYTES + payload.byteLength);
  const view = new DataView(out.buffer);
  out[0] = fields.format ?? 1;
  view.setUint32(1, fields.messageId >>> 0);
  view.setUint32(5, fields.index >>> 0);
  view.setUint32(9, fields.count >>> 0);
  view.setUint32(13, fields.total >>> 0);
  out.set(payload, CHUNK_HEADER_BYTES);
  return out;
}

function randomBytes(random: Random, max: number): Uint8Array {
  const out = new Uint8Array(1 + Math.floor(random() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** Messages that decode but lie: wrong versions and field types, frames whose sizes do not match their bytes. */
function lyingMessage(random: Random): unknown {
  const v = PROTOCOL_VERSION;
  const options: unknown[] = [
    { v: 999, type: 'ping', id: 1, t: 0 },
    { v, type: 'frame', nodeId: 7, seq: -1, item: null },
    {
      v,
      type: 'frame',
      nodeId: 'n1',
      seq: 1,
      item: { kind: 'video', width: 16384, height: 16384, format: 'rgba', timestamp: 0, data: new Uint8Array(4) },
    },
    {
      v,
      type: 'frame',
      nodeId: 'n1',
      seq: 2,
      item: { kind: 'audio', sampleRate: 48000, channels: 1_000_000, timestamp: 0, data: new Float32Array(2) },
    },
    { v, type: 'deploy', id: 1, nodeId: 'n1', packageId: 'x'.repeat(100_000) },
    { v, type: 'call', id: 2, nodeId: 'n1', method: '__proto__', args: Array.from({ length: 50_000 }, (_, i) => i) },
    { v, type: 'create', id: 3, nodeId: 'n2', name: 'Resize', config: { width: 1e9 } },
    { v, type: 'nonsense', id: 4 },
  ];
  return options[Math.floor(random() * options.length)];
}

/** One hostile payload, already chunked. */
function nextPayload(random: Random, messageId: number): Uint8Array[] {
  const pick = random();
  if (pick < 0.25) {
    const fixture = MALFORMED_MSGPACK[Math.floor(random() * MALFORMED_MSGPACK.length)]!;
    return splitMessage(messageId, fixture.bytes);
  }
  if (pick < 0.45) return splitMessage(messageId, randomBytes(random, 2000));
  if (pick < 0.7) return splitMessage(messageId, encodeMessage(lyingMessage(random)));
  const body = randomBytes(random, 64);
  const headers = [
    { format: 2, messageId, index: 0, count: 1, total: body.length },
    { messageId, index: 5, count: 2, total: body.length },
    { messageId, index: 0, count: 0, total: body.length },
    { messageId, index: 0, count: 3, total: 0xffffffff },
    { messageId, index: 0, count: 1, total: 1 },
    // Many messages left half-sent, to fill the reassembler.
    { messageId, index: 0, count: 1000, total: 1000 * 60_000 },
  ];
  const headerFields = headers[Math.floor(random() * headers.length)]!;
  return [random() < 0.1 ? body.subarray(0, 5) : chunk(headerFields, body)];
}

async function fuzzConnection(context: AttackContext, seed: number, sayHello: boolean): Promise<void> {
  const random = prng(seed);
  let messageId = 1_000_000;
  while (!context.signal.aborted) {
    let client: Awaited<ReturnType<typeof rawSignaling>>;
    try {
      client = await rawSignaling(context.url);
    } catch (error) {
      context.count(`connect failed: ${String((error as NodeJS.ErrnoException).code ?? error)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    client.ws.on('error', () => undefined);
    client.channel.on('message', (message) => {
      if (message.type === 'error') context.count(`reply ${message.error.code}`);
    });
    if (sayHello) await client.channel.send({ type: 'hello', sdkVersion: '0.1.0' }).catch(() => undefined);
    let open = true;
    client.ws.once('close', () => (open = false));
    while (open && !context.signal.aborted) {
      for (const piece of nextPayload(random, messageId++ >>> 0)) client.ws.send(piece);
      context.count('messages sent');
      // Keep our own queue short: the point is what the edge does with the bytes, not our memory.
      while (open && client.ws.bufferedAmount > 256 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
      if (messageId % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (!open) context.count(sayHello ? 'closed by edge (after hello)' : 'closed by edge (before hello)');
    client.ws.terminate();
  }
}

export const msgpackFuzz: Attack = {
  name: 'msgpack-fuzz',
  what: 'seeded fuzz over 4 WebSockets (2 after hello, 2 never saying it): msgpack bombs, random bytes, lying messages, bad chunk headers',
  sandboxes: 0,
  connections: 4,
  async run(context) {
    context.ready();
    await Promise.all([
      fuzzConnection(context, 1, true),
      fuzzConnection(context, 2, true),
      fuzzConnection(context, 3, false),
      fuzzConnection(context, 4, false),
    ]);
  },
};
