import { afterEach, describe, expect, it } from 'vitest';
import type { RTCPeerConnection } from 'werift';
import { LossyUdpRelay } from '../support/lossyUdpRelay.ts';
import { echoRandomMessages } from '../support/weriftEcho.ts';
import { connectWeriftPair, type WeriftPair } from '../support/weriftPair.ts';

interface SctpTsnState {
  localTsn: number;
  lastSackedTsn: number;
  advancedPeerAckTsn: number;
  reconfigRequestSeq: number;
}

/** Makes a peer's SCTP association start at `tsn` (it is random, so a wrap is rare but certain to come). */
function startTsnAt(peer: RTCPeerConnection, tsn: number): void {
  const sctp = (peer.sctpTransport as unknown as { sctp: SctpTsnState }).sctp;
  sctp.localTsn = tsn;
  sctp.lastSackedTsn = (tsn + 2 ** 32 - 1) % 2 ** 32;
  sctp.advancedPeerAckTsn = sctp.lastSackedTsn;
  sctp.reconfigRequestSeq = tsn;
}

// werift 0.24.4 ordered out-of-order TSNs with a plain sort(), i.e. as strings. After a loss just before
// the TSN wrapped at 2^32 (or crossed 10^9), the retransmitted TSN sorted after the later ones, so the
// receiver's cumulative TSN never advanced again, and the SACK's gap offsets came out negative, which
// threw while the SACK was built: no SACK went out, and the association stalled for good.
describe('werift SCTP across a TSN wrap, with loss', () => {
  let pair: WeriftPair | undefined;
  let relay: LossyUdpRelay | undefined;
  afterEach(async () => {
    await pair?.close();
    relay?.close();
  });

  it('delivers every message byte-exact and in order when a datagram is lost around 2^32 and 10^9', async () => {
    relay = await LossyUdpRelay.start();
    pair = await connectWeriftPair({
      relay,
      beforeConnect: (offerer, answerer) => {
        startTsnAt(offerer, 2 ** 32 - 40);
        startTsnAt(answerer, 10 ** 9 - 40);
      },
    });
    relay.dropEvery = 11;
    const report = await echoRandomMessages(pair, { count: 20, seed: 3, timeoutMs: 30_000 });
    expect(report).toEqual({ sent: 20, atAnswerer: 20, echoedBack: 20, mismatches: [] });
    // The scenario really happened: both sides sent past the boundary, and datagrams were lost on the way.
    expect((pair.offerer.sctpTransport as unknown as { sctp: SctpTsnState }).sctp.localTsn).toBeLessThan(10 ** 6);
    expect((pair.answerer.sctpTransport as unknown as { sctp: SctpTsnState }).sctp.localTsn).toBeGreaterThan(10 ** 9);
    expect(relay.dropped.aToB + relay.dropped.bToA).toBeGreaterThan(10);
  }, 60_000);
});
