import type { ErrorPayload } from '@remotemedia/shared/errors';
import type { ProtocolLimits } from '@remotemedia/shared/protocol';
import type { PeerOptions } from '@remotemedia/shared/node';

/**
 * Messages between the edge's main thread and a peer worker, the thread that owns a shard of the sessions'
 * werift peers (ICE, DTLS, SCTP and their UDP sockets) and splits and reassembles their protocol messages.
 * Payloads travel as transferred buffers: the main thread only ever sees whole messages, each within the
 * session's limits, never a chunk or a packet.
 */

export interface PeerWorkerData {
  limits: ProtocolLimits;
  /** werift's bufferedAmountLowThreshold: below it the worker reports that the channel drained. */
  lowWatermark: number;
}

export type HostToPeerWorker =
  /**
   * How every peer binds and what its answer advertises: the edge's ICE settings, resolved once HTTP listens
   * (the worker starts before that, to load werift meanwhile). Always the first message after the start.
   */
  | { type: 'configure'; peer: PeerOptions }
  /**
   * Answer this client's SDP offer with a new peer. `sctpChunkBytes`: the client is a patched werift peer that
   * takes SCTP DATA chunks of this size; the peer sends them too if its werift can.
   */
  | { type: 'open'; peerId: number; offer: string; sctpChunkBytes?: number }
  /** One whole encoded message for the client, moved here: the worker splits it into chunks. */
  | { type: 'send'; peerId: number; payload: Uint8Array }
  /** Closes the data channel only (the protocol layer gave up on it): the client hears it, the peer stays. */
  | { type: 'close-channel'; peerId: number }
  | { type: 'close'; peerId: number };

export type PeerWorkerToHost =
  | { type: 'ready' }
  /** `sctpChunkBytes`: the peer sends DATA chunks of this size (large chunks were asked for and are on). */
  | { type: 'answer'; peerId: number; sdp: string; sctpChunkBytes?: number }
  /** The offer could not be answered; the peer is gone already. */
  | { type: 'failed'; peerId: number; error: ErrorPayload }
  | { type: 'channel-open'; peerId: number }
  /** One whole message from the client (reassembled here, within the limits), moved to the host. */
  | { type: 'message'; peerId: number; payload: Uint8Array }
  /** Bytes that could not become a message (over a limit, malformed chunks); the channel goes on. */
  | { type: 'invalid'; peerId: number; error: ErrorPayload }
  /**
   * Flow control: `handed` counts every payload byte taken from the host so far, `buffered` what werift
   * still holds unsent. The host's view of what is in flight is (posted - handed) + buffered.
   */
  | { type: 'flow'; peerId: number; handed: number; buffered: number }
  | { type: 'channel-closed'; peerId: number; reason: string }
  | { type: 'peer-state'; peerId: number; state: string };
