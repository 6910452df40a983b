import {
  ErrorCode,
  MAX_SCTP_CHUNK_BYTES,
  RemoteMediaError,
  SCTP_CHUNKS_VERSION,
  type IceServer,
  type RawChannel,
  type SctpChunks,
} from '@remotemedia/shared';
import {
  WeriftDataChannel,
  createPeer,
  dropDefaultStun,
  enlargeSocketBuffers,
  gatheringComplete,
  pathStaysOnThisMachine,
  sctpChunkBytes,
  supportsLargeSctpChunks,
  useLargeSctpChunks,
} from '@remotemedia/shared/node';
import type { RTCPeerConnection, RTCDataChannel } from 'werift';
import { DATA_CHANNEL_LABEL, type PeerLink } from '../transport/PeerLink.ts';

/** PeerLink over werift, so Node programs get the same data-channel transport as browsers. */
export class WeriftPeerLink implements PeerLink {
  readonly open: Promise<RawChannel>;
  private readonly peer: RTCPeerConnection;
  private readonly channel: RTCDataChannel;
  /** Large SCTP chunks offered to the edge: set by createOffer when this werift carries the patch. */
  sctpChunks: SctpChunks | undefined;
  /** The chunk size the edge agreed to; used once the channel opens over a path on this machine. */
  private agreedChunks: number | undefined;

  /** `iceServers`: the edge's STUN/TURN list (from `welcome`); none means host candidates only. */
  constructor(iceServers: readonly IceServer[] = []) {
    this.peer = createPeer({ iceServers });
    this.channel = this.peer.createDataChannel(DATA_CHANNEL_LABEL, { ordered: true });
    this.open = new Promise<RawChannel>((resolve, reject) => {
      this.channel.stateChanged.subscribe((state) => {
        if (state !== 'open') return;
        if (this.agreedChunks !== undefined && pathStaysOnThisMachine(this.peer)) useLargeSctpChunks(this.peer, this.agreedChunks);
        resolve(new WeriftDataChannel(this.channel));
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
    this.sctpChunks = supportsLargeSctpChunks(this.peer) ? { version: SCTP_CHUNKS_VERSION, maxBytes: MAX_SCTP_CHUNK_BYTES } : undefined;
    const sdp = this.peer.localDescription?.sdp;
    if (!sdp) throw new RemoteMediaError(ErrorCode.ConnectionFailed, 'werift produced no SDP offer');
    return sdp;
  }

  /** `sctpChunks`: the edge (a werift too) agreed to chunks of this size; both use them if the path stays on this machine. */
  async acceptAnswer(sdp: string, sctpChunks?: SctpChunks): Promise<void> {
    const offered = this.sctpChunks;
    if (offered !== undefined && sctpChunks?.version === SCTP_CHUNKS_VERSION && sctpChunks.maxBytes <= offered.maxBytes) {
      this.agreedChunks = sctpChunks.maxBytes;
    }
    await this.peer.setRemoteDescription({ type: 'answer', sdp });
  }

  get sctpChunkBytes(): number | undefined {
    return sctpChunkBytes(this.peer);
  }

  close(): void {
    void this.peer.close().catch(() => undefined);
  }
}
