import { DEFAULT_SCTP_CHUNK_BYTES, MAX_SCTP_CHUNK_BYTES } from '@remotemedia/shared';
import { pathStaysOnThisMachine, sctpChunkBytes, useLargeSctpChunks } from '@remotemedia/shared/node';
import type { RTCPeerConnection } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { LossyUdpRelay } from '../support/lossyUdpRelay.ts';
import { echoRandomMessages } from '../support/weriftEcho.ts';
import { connectWeriftPair, createTestPeer, type WeriftPair } from '../support/weriftPair.ts';

/** Both ends send DATA chunks of up to MAX_SCTP_CHUNK_BYTES (as the Node SDK and the edge agree to). */
function largeChunks(offerer: RTCPeerConnection, answerer: RTCPeerConnection): void {
  expect(useLargeSctpChunks(offerer, MAX_SCTP_CHUNK_BYTES)).toBe(true);
  expect(useLargeSctpChunks(answerer, MAX_SCTP_CHUNK_BYTES)).toBe(true);
}

// Correctness of the patched werift SCTP (a SACK per two packets, fast paths, large DATA chunks when set) between
// two real werift peers: every message arrives whole, byte-exact and in order, with and without loss.
describe('patched werift data channel between two werift peers', () => {
  let pair: WeriftPair | undefined;
  let relay: LossyUdpRelay | undefined;
  afterEach(async () => {
    await pair?.close();
    relay?.close();
    pair = undefined;
    relay = undefined;
  });

  it('delivers random messages of 1 B to 256 KiB byte-exact and in order, both ways', async () => {
    pair = await connectWeriftPair();
    const report = await echoRandomMessages(pair, { count: 60, seed: 1, timeoutMs: 60_000 });
    expect(report).toEqual({ sent: 60, atAnswerer: 60, echoedBack: 60, mismatches: [] });
  }, 90_000);

  it('still delivers them byte-exact and in order when every 13th datagram is dropped each way', async () => {
    relay = await LossyUdpRelay.start();
    pair = await connectWeriftPair({ relay });
    // Loss starts once the channel is open: it hits SCTP DATA and SACK packets, not the handshakes.
    relay.dropEvery = 13;
    const report = await echoRandomMessages(pair, { count: 40, seed: 2, timeoutMs: 90_000 });
    expect(report).toEqual({ sent: 40, atAnswerer: 40, echoedBack: 40, mismatches: [] });
    expect(relay.dropped.aToB).toBeGreaterThan(10);
    expect(relay.dropped.bToA).toBeGreaterThan(10);
  }, 120_000);

  it('with large chunks: delivers random messages of 1 B to 256 KiB byte-exact and in order, both ways', async () => {
    relay = await LossyUdpRelay.start();
    pair = await connectWeriftPair({ relay, beforeConnect: largeChunks });
    expect([sctpChunkBytes(pair.offerer), sctpChunkBytes(pair.answerer)]).toEqual([MAX_SCTP_CHUNK_BYTES, MAX_SCTP_CHUNK_BYTES]);
    // What the SDK and the edge check before they use them: the ICE path (here through the relay on 127.0.0.1).
    expect([pathStaysOnThisMachine(pair.offerer), pathStaysOnThisMachine(pair.answerer)]).toEqual([true, true]);
    const report = await echoRandomMessages(pair, { count: 60, seed: 3, timeoutMs: 60_000 });
    expect(report).toEqual({ sent: 60, atAnswerer: 60, echoedBack: 60, mismatches: [] });
    // The chunks really were large on the wire, each way (a 1,200-byte chunk makes datagrams of ~1,250 bytes).
    expect(relay.largest.aToB).toBeGreaterThan(MAX_SCTP_CHUNK_BYTES);
    expect(relay.largest.bToA).toBeGreaterThan(MAX_SCTP_CHUNK_BYTES);
  }, 90_000);

  it('with large chunks: still delivers them byte-exact and in order when every 13th datagram is dropped each way', async () => {
    relay = await LossyUdpRelay.start();
    pair = await connectWeriftPair({ relay, beforeConnect: largeChunks });
    relay.dropEvery = 13;
    const report = await echoRandomMessages(pair, { count: 40, seed: 4, timeoutMs: 90_000 });
    expect(report).toEqual({ sent: 40, atAnswerer: 40, echoedBack: 40, mismatches: [] });
    expect(relay.dropped.aToB).toBeGreaterThan(10);
    expect(relay.dropped.bToA).toBeGreaterThan(10);
    expect(relay.largest.aToB).toBeGreaterThan(MAX_SCTP_CHUNK_BYTES);
  }, 120_000);

  it('a peer with no ICE pair yet is not known to stay on this machine', async () => {
    const peer = createTestPeer();
    try {
      peer.createDataChannel('test');
      expect(pathStaysOnThisMachine(peer)).toBe(false);
    } finally {
      await peer.close();
    }
  });

  it('without them, chunks stay at 1,200 bytes (what browsers take)', async () => {
    relay = await LossyUdpRelay.start();
    pair = await connectWeriftPair({ relay });
    expect([sctpChunkBytes(pair.offerer), sctpChunkBytes(pair.answerer)]).toEqual([DEFAULT_SCTP_CHUNK_BYTES, DEFAULT_SCTP_CHUNK_BYTES]);
    const report = await echoRandomMessages(pair, { count: 10, seed: 5, timeoutMs: 60_000 });
    expect(report.mismatches).toEqual([]);
    expect(relay.largest.aToB).toBeLessThan(1_400);
    expect(relay.largest.bToA).toBeLessThan(1_400);
  }, 90_000);
});
