import { WeriftPeerLink, type PeerLinkFactory } from '@remotemedia/browser-sdk/node';

/** A Node peer that offers the edge no large SCTP chunks: what a browser, or a Node client across a network, gets. */
export class StandardChunksPeerLink extends WeriftPeerLink {
  override async createOffer(): Promise<string> {
    const sdp = await super.createOffer();
    this.sctpChunks = undefined;
    return sdp;
  }
}

/** `connect`'s `peerLink` option for such a peer. */
export const standardChunks: PeerLinkFactory = (config) => new StandardChunksPeerLink(config.iceServers);
