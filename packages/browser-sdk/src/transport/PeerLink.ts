import type { IceServer, RawChannel } from '@remotemedia/shared';

/**
 * The client's side of one WebRTC peer connection carrying one data channel. Browsers implement it with
 * the native RTCPeerConnection, Node with werift; the session only sees SDP and a RawChannel.
 */
export interface PeerLink {
  /** Creates the data channel and an offer that already contains every ICE candidate (no trickle). */
  createOffer(): Promise<string>;
  acceptAnswer(sdp: string): Promise<void>;
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
