import type { IceServer, RawChannel, SctpChunks } from '@remotemedia/shared';

/**
 * The client's side of one WebRTC peer connection carrying one data channel. Browsers implement it with
 * the native RTCPeerConnection, Node with werift; the session only sees SDP and a RawChannel.
 */
export interface PeerLink {
  /** Creates the data channel and an offer that already contains every ICE candidate (no trickle). */
  createOffer(): Promise<string>;
  /**
   * Large SCTP chunks this peer offers (after createOffer): only a werift peer with RemoteMedia's patch, never
   * a browser. The edge's answer says whether its side takes them, and `acceptAnswer` gets that.
   */
  readonly sctpChunks?: SctpChunks | undefined;
  acceptAnswer(sdp: string, sctpChunks?: SctpChunks): Promise<void>;
  /** Bytes of user data per SCTP DATA chunk this peer sends (1,200 unless large chunks were agreed). */
  readonly sctpChunkBytes?: number | undefined;
  /** Resolves when the data channel is open; rejects if the connection fails first. */
  readonly open: Promise<RawChannel>;
  close(): void;
}

/** What the edge tells the client about its peer connection (from `welcome`). */
export interface PeerLinkConfig {
  /** STUN/TURN servers the edge's operator configured; empty: host candidates only. */
  readonly iceServers: readonly IceServer[];
}

export type PeerLinkFactory = (config: PeerLinkConfig) => PeerLink;

/** Label of the one data channel; the edge accepts whatever the client opens. */
export const DATA_CHANNEL_LABEL = 'remotemedia';
