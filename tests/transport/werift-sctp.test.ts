import { afterEach, describe, expect, it } from 'vitest';
import { LossyUdpRelay } from '../support/lossyUdpRelay.ts';
import { echoRandomMessages } from '../support/weriftEcho.ts';
import { connectWeriftPair, type WeriftPair } from '../support/weriftPair.ts';

// Correctness of the patched werift SCTP (one SACK per event-loop turn, no burst cap, fast paths) between
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
});
