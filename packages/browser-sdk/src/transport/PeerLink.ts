import type { RawChannel } from '@remotemedia/shared';

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

export type PeerLinkFactory = () => PeerLink;

/** Label of the one data channel; the edge accepts whatever the client opens. */
export const DATA_CHANNEL_LABEL = 'remotemedia';
