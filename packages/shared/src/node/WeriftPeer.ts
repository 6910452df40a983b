import { RTCPeerConnection } from 'werift';

export interface PeerOptions {
  /** Extra host addresses to offer (werift leaves out loopback unless asked). */
  additionalHostAddresses?: string[];
}

/**
 * A werift peer that never talks to a STUN server.
 *
 * werift substitutes a public STUN server when none is configured (its ICE Connection defaults
 * `stunServer`), which means a DNS lookup and packets leaving the machine on every connection. An edge
 * reached directly needs only host candidates, so we clear `stunServer` on each ICE transport before
 * gathering starts (`setLocalDescription`).
 */
export function createPeer(options: PeerOptions = {}): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceAdditionalHostAddresses: options.additionalHostAddresses ?? ['127.0.0.1'],
    iceUseIpv6: false,
  });
}

/** Call after the transports exist (after setRemoteDescription / createDataChannel) and before gathering. */
export function disableStun(peer: RTCPeerConnection): void {
  for (const transport of peer.iceTransports) {
    (transport.connection as { stunServer?: unknown }).stunServer = undefined;
  }
}

/** Resolves once ICE gathering is complete, so the SDP we send carries every candidate (no trickle). */
export async function gatheringComplete(peer: RTCPeerConnection, timeoutMs = 5000): Promise<void> {
  if (peer.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      subscription.unSubscribe();
      resolve();
    }, timeoutMs);
    const subscription = peer.iceGatheringStateChange.subscribe((state) => {
      if (state === 'complete') {
        clearTimeout(timer);
        subscription.unSubscribe();
        resolve();
      }
    });
  });
}
