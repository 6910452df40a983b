import { ErrorCode, RemoteMediaError, type IceServer, type RawChannel } from '@remotemedia/shared';
import { WeriftDataChannel, createPeer, dropDefaultStun, enlargeSocketBuffers, gatheringComplete } from '@remotemedia/shared/node';
import type { RTCPeerConnection, RTCDataChannel } from 'werift';
import { DATA_CHANNEL_LABEL, type PeerLink } from '../transport/PeerLink.ts';

/** PeerLink over werift, so Node programs get the same data-channel transport as browsers. */
export class WeriftPeerLink implements PeerLink {
  readonly open: Promise<RawChannel>;
  private readonly peer: RTCPeerConnection;
  private readonly channel: RTCDataChannel;

  /** `iceServers`: the edge's STUN/TURN list (from `welcome`); none means host candidates only. */
  constructor(iceServers: readonly IceServer[] = []) {
    this.peer = createPeer({ iceServers });
    this.channel = this.peer.createDataChannel(DATA_CHANNEL_LABEL, { ordered: true });
    this.open = new Promise<RawChannel>((resolve, reject) => {
      this.channel.stateChanged.subscribe((state) => {
        if (state === 'open') resolve(new WeriftDataChannel(this.channel));
      });
      this.peer.connectionStateChange.subscribe((state) => {
        if (state === 'failed' || state === 'closed') {
          reject(new RemoteMediaError(ErrorCode.ConnectionFailed, `WebRTC connection ${state}`, { retryable: true }));
        }
      });
    });
    this.open.catch(() => undefined);
  }

  async createOffer(): Promise<string> {
    const offer = await this.peer.createOffer();
    dropDefaultStun(this.peer);
    await this.peer.setLocalDescription(offer);
    await gatheringComplete(this.peer);
    enlargeSocketBuffers(this.peer);
    const sdp = this.peer.localDescription?.sdp;
    if (!sdp) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'werift produced no SDP offer');
    return sdp;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.peer.setRemoteDescription({ type: 'answer', sdp });
  }

  close(): void {
    void this.peer.close().catch(() => undefined);
  }
}
