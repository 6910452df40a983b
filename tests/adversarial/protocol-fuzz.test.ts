import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageIdSequence, PROTOCOL_VERSION, encodeMessage, splitMessage } from '@remotemedia/shared';
import { startStreaming } from '../support/edgeClients.ts';
import { useEdge } from '../support/edgeProcess.ts';
import { prng } from '../support/prng.ts';
import { openRawDataChannel } from '../support/rawDataChannel.ts';
import { RawProtocolClient } from '../support/rawProtocol.ts';
import { FUZZ_KINDS, fuzzCase } from './fuzzChunks.ts';
import { invalidFrame, oddButLegalFrame } from './fuzzWebSocketFrames.ts';

/**
 * Seeded protocol fuzzer against a real edge process while a victim session streams frames through a
 * sandboxed node. Over the WebSocket: at least 10,000 hostile messages (wrong field types and versions,
 * unknown types, msgpack bombs, typed arrays lying about their length, bad chunk headers and interleavings,
 * random bytes, valid messages in between), over many connections, some before hello, with WebSocket-level
 * violations mixed in; then a shorter run over a data channel. The edge must stay up, the victim must get a
 * result for every frame, no reply may be INTERNAL (an unexpected path), and the edge's RSS must stay bounded.
 */
const SEED = 0x15_f022;
const WS_MESSAGES = 10_000;
const DC_MESSAGES = 1_000;
/**
 * RSS the fuzzing may add to the edge. What it can hold: 32 pending connections' and a few sessions' budgets
 * of small chunks, reassembly of messages of at most a few KB, error replies capped per connection, plus V8's
 * own heap growth under churn. Measured on a loaded 2-core machine: 55-71 MiB over the baseline.
 */
const RSS_HEADROOM_BYTES = 160 * 1024 * 1024;
/** Codes a protocol fault may be answered with. INTERNAL, or anything else, would mean an unexpected path. */
const EXPECTED_CODES = new Set([
  'MALFORMED_MESSAGE',
  'UNSUPPORTED_VERSION',
  'MESSAGE_TOO_LARGE',
  'FRAME_TOO_LARGE',
  'REASSEMBLY_LIMIT',
  'RATE_LIMITED',
  'INVALID_INPUT',
  'INVALID_CONFIG',
  'UNKNOWN_NODE',
  'UNKNOWN_NODE_INSTANCE',
  'UNKNOWN_PACKAGE',
  'UNKNOWN_METHOD',
  'NODE_FAILED',
  'CONNECTION_FAILED',
]);

function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples the edge's RSS and /healthz in the background until stopped. */
function watchEdge(url: string, pid: number): { stop(): Promise<{ maxRss: number; healthFailures: number; probes: number }> } {
  let maxRss = residentBytes(pid);
  let healthFailures = 0;
  let probes = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      maxRss = Math.max(maxRss, residentBytes(pid));
      probes++;
      const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) healthFailures++;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxRss, healthFailures, probes };
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function errorCodesOf(messages: ReadonlyArray<{ type: string; error?: { code: string } }>, into: Set<string>): void {
  for (const message of messages) if (message.type === 'error' && message.error) into.add(message.error.code);
}

describe('protocol fuzzer: hostile traffic changes nothing for anyone else', () => {
  // A higher error-reply budget than the default keeps connections open longer, so more of the fuzz reaches
  // the parser after hello; the budget itself is tested in tests/regressions/error-reply-flood.test.ts.
  const edge = useEdge(['--sandbox-workers', '1', '--error-replies-per-second', '1000']);
  let baseline = 0;
  let victim: Awaited<ReturnType<typeof startStreaming>>;

  beforeAll(async () => {
    victim = await startStreaming(edge.url, { intervalMs: 10 });
    await victim.node.process({ tag: 'warm' });
    baseline = residentBytes(edge.process.pid!);
  });

  afterAll(async () => {
    await victim?.stop();
  });

  it(`survives ${WS_MESSAGES.toLocaleString('en')}+ hostile messages over WebSocket connections`, async () => {
    const rng = prng(SEED);
    const watch = watchEdge(edge.url, edge.process.pid!);
    const kinds = new Map<string, number>();
    const closeCodes = new Map<number, number>();
    const codes = new Set<string>();
    const wrongCloses: string[] = [];
    let sent = 0;
    let connections = 0;
    let pinged = 0;
    let answeredAfterFuzz = 0;
    const note = (kind: string): void => {
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      sent++;
    };
    const deadline = Date.now() + 35_000;
    while (sent < WS_MESSAGES && Date.now() < deadline) {
      connections++;
      const client = await RawProtocolClient.open(edge.url);
      // Fuzz ids far from the client's own, so the closing ping never collides with a half-sent fuzz message.
      const ids = new MessageIdSequence(1_000_000 + connections * 10_000);
      let expectedClose: { kind: string; code: number } | undefined;
      if (rng() < 0.1) {
        // Before hello: every message counts against the pre-hello budget, readable or not.
        const count = 1 + Math.floor(rng() * 24);
        for (let i = 0; i < count && !client.raw.socket.destroyed; i++) {
          const fuzz = fuzzCase(rng, ids);
          for (const chunk of fuzz.chunks) client.sendChunk(chunk);
          note(`pre-hello ${fuzz.kind}`);
        }
      } else {
        client.send({ type: 'hello', sdkVersion: 'fuzz' });
        await client.next('welcome');
        const batch = 100 + Math.floor(rng() * 300);
        for (let i = 0; i < batch && !client.raw.socket.destroyed; i++) {
          const roll = rng();
          if (roll < 0.005) {
            const frame = invalidFrame(rng);
            client.raw.write(frame.bytes);
            note(`ws ${frame.kind}`);
            expectedClose = { kind: frame.kind, code: frame.closeCode };
            break;
          }
          if (roll < 0.03) {
            const frame = oddButLegalFrame(rng);
            client.raw.write(frame.bytes);
            note(`ws ${frame.kind}`);
          } else {
            const fuzz = fuzzCase(rng, ids);
            for (const chunk of fuzz.chunks) client.sendChunk(chunk);
            note(fuzz.kind);
          }
          if (i % 50 === 49) {
            await tick();
            errorCodesOf(client.take(), codes);
          }
        }
        if (expectedClose === undefined && !client.raw.socket.destroyed) {
          // After all that, the connection still serves a valid request.
          pinged++;
          client.send({ type: 'ping', id: 4242, t: 1 });
          const pong = await Promise.race([
            client.next('pong', 10_000).then(
              () => true,
              () => false,
            ),
            client.raw.ended.then(() => false),
          ]);
          if (pong) answeredAfterFuzz++;
        }
      }
      if (expectedClose !== undefined) {
        const frame = await client.raw.closeFrame;
        if (frame?.code !== expectedClose.code) wrongCloses.push(`${expectedClose.kind}: expected ${expectedClose.code}, got ${frame?.code}`);
      }
      client.raw.socket.end();
      await Promise.race([client.raw.ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
      client.raw.socket.destroy();
      errorCodesOf(client.take(), codes);
      const frame = await client.raw.closeFrame;
      if (frame !== undefined) closeCodes.set(frame.code, (closeCodes.get(frame.code) ?? 0) + 1);
    }
    const { maxRss, healthFailures, probes } = await watch.stop();

    expect(sent).toBeGreaterThanOrEqual(WS_MESSAGES);
    for (const kind of FUZZ_KINDS) expect(kinds.get(kind) ?? 0, `fuzz kind ${kind}`).toBeGreaterThan(100);
    expect([...kinds.keys()].filter((kind) => kind.startsWith('ws ')).length).toBeGreaterThanOrEqual(8);
    expect(wrongCloses).toEqual([]);
    expect([...codes].filter((code) => !EXPECTED_CODES.has(code))).toEqual([]);
    expect(pinged).toBeGreaterThan(5);
    expect(answeredAfterFuzz).toBe(pinged);
    expect(healthFailures).toBe(0);
    expect(probes).toBeGreaterThan(2);
    expect(edge.process.exitCode).toBeNull();
    expect(maxRss - baseline).toBeLessThan(RSS_HEADROOM_BYTES);
    // Client text is never echoed at length into the edge's log (or its replies).
    expect(
      Math.max(
        ...edge
          .stderr()
          .split('\n')
          .map((line) => line.length),
      ),
    ).toBeLessThan(2000);
    const [after] = await victim.node.process({ tag: 'after-ws-fuzz' });
    expect(after).toMatchObject({ count: expect.any(Number) });
    console.info('websocket fuzz', {
      sent,
      connections,
      pinged,
      answeredAfterFuzz,
      closeCodes: Object.fromEntries(closeCodes),
      rssMiB: Math.round((maxRss - baseline) / 2 ** 20),
      codes: [...codes],
    });
  }, 60_000);

  it(`survives ${DC_MESSAGES.toLocaleString('en')} hostile messages over data channels`, async () => {
    const rng = prng(SEED + 1);
    const watch = watchEdge(edge.url, edge.process.pid!);
    const codes = new Set<string>();
    let sent = 0;
    let pinged = 0;
    let answeredAfterFuzz = 0;
    let channels = 0;
    const deadline = Date.now() + 30_000;
    while (sent < DC_MESSAGES && Date.now() < deadline) {
      channels++;
      const dc = await openRawDataChannel(edge.url);
      let open = true;
      void dc.closed.then(() => (open = false));
      const ids = new MessageIdSequence(1_000_000);
      for (let i = 0; i < 600 && open && sent < DC_MESSAGES; i++) {
        for (const chunk of fuzzCase(rng, ids).chunks) dc.channel.send(chunk);
        sent++;
        if (i % 25 === 24) {
          // Let werift put it on the wire instead of queueing everything at once.
          while (open && dc.channel.bufferedAmount > 256 * 1024) await new Promise((resolve) => setTimeout(resolve, 5));
          await tick();
          errorCodesOf(dc.replies.take(), codes);
        }
      }
      if (open) {
        pinged++;
        for (const chunk of splitMessage(ids.next(), encodeMessage({ v: PROTOCOL_VERSION, type: 'ping', id: 4242, t: 1 }))) dc.channel.send(chunk);
        const pong = await Promise.race([
          dc.replies.next('pong', 10_000).then(
            () => true,
            () => false,
          ),
          dc.closed.then(() => false),
        ]);
        if (pong) answeredAfterFuzz++;
      }
      errorCodesOf(dc.replies.take(), codes);
      await dc.close();
    }
    const { maxRss, healthFailures } = await watch.stop();

    expect(sent).toBeGreaterThanOrEqual(DC_MESSAGES);
    expect([...codes].filter((code) => !EXPECTED_CODES.has(code))).toEqual([]);
    expect(pinged).toBeGreaterThan(0);
    expect(answeredAfterFuzz).toBe(pinged);
    expect(healthFailures).toBe(0);
    expect(edge.process.exitCode).toBeNull();
    expect(maxRss - baseline).toBeLessThan(RSS_HEADROOM_BYTES);
    const { ok, failed } = await victim.stop();
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(10);
    console.info('data channel fuzz', {
      sent,
      channels,
      pinged,
      answeredAfterFuzz,
      rssMiB: Math.round((maxRss - baseline) / 2 ** 20),
      codes: [...codes],
    });
  }, 60_000);
});
