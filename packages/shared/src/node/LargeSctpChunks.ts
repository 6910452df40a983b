import type { RTCPeerConnection } from 'werift';

/** What RemoteMedia's werift patch adds to an SCTP association (scripts/patch-werift.mjs). */
interface PatchedAssociation {
  userDataMaxLength: number;
  setUserDataMaxLength(bytes: number): void;
}

function association(peer: RTCPeerConnection): Partial<PatchedAssociation> | undefined {
  return (peer.sctpTransport as unknown as { sctp?: Partial<PatchedAssociation> } | undefined)?.sctp;
}

/** Whether this werift carries the patch that lets an association send DATA chunks over 1,200 bytes. */
export function supportsLargeSctpChunks(peer: RTCPeerConnection): boolean {
  return typeof association(peer)?.setUserDataMaxLength === 'function';
}

/**
 * Sends DATA chunks of up to `bytes` of user data on this peer's association (werift's default is 1,200).
 * Only toward another werift peer: Chromium aborts an association that gets chunks over ~4,000 bytes.
 * Call once the descriptions are set (the association exists), before data flows. Returns false, changing
 * nothing, when this werift lacks the patch or the association does not exist yet.
 */
export function useLargeSctpChunks(peer: RTCPeerConnection, bytes: number): boolean {
  const sctp = association(peer);
  if (typeof sctp?.setUserDataMaxLength !== 'function') return false;
  sctp.setUserDataMaxLength(bytes);
  return true;
}

/** The DATA chunk size this peer's association sends now (1,200 unless raised), or undefined without one. */
export function sctpChunkBytes(peer: RTCPeerConnection): number | undefined {
  return association(peer)?.userDataMaxLength;
}
