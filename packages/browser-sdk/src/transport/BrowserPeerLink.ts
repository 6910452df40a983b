import { ErrorCode, RemoteMediaError, type RawChannel } from '@remotemedia/shared';
import { BrowserDataChannel } from './BrowserDataChannel.ts';
import { DATA_CHANNEL_LABEL, type PeerLink } from './PeerLink.ts';

/** PeerLink over the browser's own RTCPeerConnection. */
export class BrowserPeerLink implements PeerLink {
  readonly open: Promise<RawChannel>;
  private readonly peer: RTCPeerConnection;
  private readonly channel: RTCDataChannel;

  constructor(configuration: RTCConfiguration = { iceServers: [] }) {
    this.peer = new RTCPeerConnection(configuration);
    // Ordered and reliable: frames are chunked, and a lost chunk must be retransmitted, not skipped.
    this.channel = this.peer.createDataChannel(DATA_CHANNEL_LABEL, { ordered: true });
    this.open = new Promise<RawChannel>((resolve, reject) => {
      this.channel.addEventListener('open', () => resolve(new BrowserDataChannel(this.channel)), { once: true });
      this.peer.addEventListener('connectionstatechange', () => {
        if (this.peer.connectionState === 'failed' || this.peer.connectionState === 'closed') {
          reject(new RemoteMediaError(ErrorCode.ConnectionFailed, `WebRTC connection ${this.peer.connectionState}`, { retryable: true }));
        }
      });
    });
    this.open.catch(() => undefined);
  }

  async createOffer(): Promise<string> {
    await this.peer.setLocalDescription(await this.peer.createOffer());
    await this.gatheringComplete();
    const sdp = this.peer.localDescription?.sdp;
    if (!sdp) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'the browser produced no SDP offer');
    return sdp;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.peer.setRemoteDescription({ type: 'answer', sdp });
  }

  close(): void {
    this.channel.close();
    this.peer.close();
  }

  /** Host candidates gather in milliseconds; the timeout only guards a browser that never reports completion. */
  private gatheringComplete(timeoutMs = 3000): Promise<void> {
    if (this.peer.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.peer.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = (): void => {
        if (this.peer.iceGatheringState === 'complete') done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.peer.addEventListener('icegatheringstatechange', check);
    });
  }
}
