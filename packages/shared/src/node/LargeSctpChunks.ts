import { networkInterfaces } from 'node:os';
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

/**
 * Whether the ICE pair in use joins two addresses of this machine (loopback or its own interfaces). Only
 * there are large chunks used: a 16 KiB datagram crossing a network is split into IP fragments, and a path
 * that drops fragments (many firewalls and NATs do) would drop every large chunk, retransmissions included.
 */
export function pathStaysOnThisMachine(peer: RTCPeerConnection): boolean {
  const hosts = peer.iceTransports.map(
    (transport) => (transport.connection as unknown as { nominated?: { remoteCandidate?: { host?: string } } }).nominated?.remoteCandidate?.host,
  );
  if (hosts.length === 0 || hosts.some((host) => host === undefined)) return false;
  const own = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((entry) => entry?.address),
  );
  return hosts.every((host) => host!.startsWith('127.') || host === '::1' || own.has(host));
}
